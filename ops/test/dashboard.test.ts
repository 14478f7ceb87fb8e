import { type Stack, startStack } from '@mentoring/stack';
import { graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDashboard, type Dashboard } from '../src/dashboard';

let stack: Stack;
let dashboard: Dashboard;
let base: string;
let teacherToken: string;
const teacher = { email: 'teacher@example.org', password: 'a-long-password' };

beforeAll(async () => {
  const { redisUrl, prefix } = testRedis('ops_dashboard');
  stack = await startStack({
    postgresUrl: inject('postgresUrl'),
    redisUrl,
    redisPrefix: prefix,
    label: 'opsdash',
  });
  const signUp = await graphqlClient(stack.gatewayUrl)<{ signUp: { token: string } }>(
    'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: { ...teacher, displayName: 'Teacher' } },
  );
  teacherToken = signUp.data!.signUp.token;
  dashboard = await createDashboard({
    redisUrl,
    redisPrefix: prefix,
    gatewayUrl: stack.gatewayUrl,
    auth: { jwksUrl: `${stack.urls.identity}/.well-known/jwks.json` },
  });
  base = await dashboard.listen({ port: 0 });
}, 120_000);
afterAll(async () => {
  await dashboard?.close();
  await stack?.close();
});

const html = { accept: 'text/html,application/xhtml+xml' };

function logIn(credentials: { email: string; password: string }) {
  return fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...html },
    body: new URLSearchParams(credentials).toString(),
    redirect: 'manual',
  });
}

async function operatorCookie(): Promise<string> {
  const response = await logIn(stack.operator);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

describe('the queue dashboard', () => {
  it('is alive and ready when Redis answers', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { redis: 'ok' } });
  });

  it('sends a browser without a session to the login form, and a script gets 401', async () => {
    const page = await fetch(`${base}/queues/`, { headers: html, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    const api = await fetch(`${base}/queues/api/queues`);
    expect(api.status).toBe(401);
    expect((await fetch(`${base}/login`)).status).toBe(200);
  });

  it('signs an operator in with an HttpOnly, SameSite=Strict cookie', async () => {
    const response = await logIn(stack.operator);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/queues/');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mentoring_ops=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('shows Bull Board to the operator, listing the four queues', async () => {
    const cookie = await operatorCookie();
    const page = await fetch(`${base}/queues/`, { headers: { ...html, cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Mentoring queues');
    const api = await fetch(`${base}/queues/api/queues`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: Array<{ name: string }> };
    expect(queues.map((q) => q.name).sort()).toEqual([
      'funds-maintenance',
      'notifications',
      'redemption-maintenance',
      'settlement',
    ]);
  });

  it('accepts an operator token as a Bearer header, for scripts', async () => {
    const login = await graphqlClient(stack.gatewayUrl)<{ logIn: { token: string } }>(
      'mutation($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
      stack.operator,
    );
    const api = await fetch(`${base}/queues/api/queues`, {
      headers: { authorization: `Bearer ${login.data!.logIn.token}` },
    });
    expect(api.status).toBe(200);
  });

  it('forbids someone who is not an operator, by token or by the login form', async () => {
    const api = await fetch(`${base}/queues/api/queues`, {
      headers: { authorization: `Bearer ${teacherToken}` },
    });
    expect(api.status).toBe(403);
    const form = await logIn(teacher);
    expect(form.status).toBe(403);
    expect(form.headers.get('set-cookie')).toBeNull();
    expect(await form.text()).toContain('Only operators');
  });

  it('answers a wrong password on the form, and a forged cookie with the login form again', async () => {
    const wrong = await logIn({ email: stack.operator.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    const forged = await fetch(`${base}/queues/`, {
      headers: { ...html, cookie: `mentoring_ops=${teacherToken.slice(0, -4)}abcd` },
      redirect: 'manual',
    });
    expect(forged.status).toBe(303);
  });
});
