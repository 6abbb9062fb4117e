// The servers the README's code blocks talk to, as msw handlers: api.example.com (users, jobs,
// a route that wants a fresh token), auth.example.com (the token endpoint) and uploads.example.com.
// test/readme.test.ts imports this first in every block that does not set up msw itself.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

const server = setupServer(
  http.get('https://api.example.com/v1/users/:id', ({ params }) => HttpResponse.json({ id: Number(params.id), name: 'Ada' })),
  http.get('https://api.example.com/v1/me', ({ request }) =>
    request.headers.get('authorization') === 'Bearer fresh-token' ? HttpResponse.json({ name: 'Ada' }) : new HttpResponse(null, { status: 401 }),
  ),
  http.post('https://auth.example.com/token', () => HttpResponse.json({ access_token: 'fresh-token' })),
  http.put('https://uploads.example.com/*', async ({ request }) => HttpResponse.json({ received: (await request.arrayBuffer()).byteLength }, { status: 201 })),
  http.all('https://api.example.com/*', ({ request }) => HttpResponse.json({ ok: true, method: request.method, url: request.url })),
);
server.listen({ onUnhandledFrame: 'error' });
process.once('beforeExit', () => server.close());
