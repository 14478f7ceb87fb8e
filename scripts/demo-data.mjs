#!/usr/bin/env node
// Loads the Vigevano demo through the public API (the gateway), as an
// operator would: a community, a sponsor, a provider with its €80 enrollment,
// a school as referrer, a fund with a received contribution, and the
// Mentoring 2.1 program. Runs once: it stops if the community already exists.
const gateway = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
const say = (line) => console.log(`[demo] ${line}`);

async function gql(query, variables, token) {
  const response = await fetch(gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length)
    throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  return body.data;
}

const { logIn } = await gql(
  'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
  { email: process.env.OPERATOR_EMAIL, password: process.env.OPERATOR_PASSWORD },
);
const op = logIn.token;

const { communities } = await gql('{ communities { id slug } }', {}, op);
if (communities.some((c) => c.slug === 'vigevano')) {
  say('Vigevano demo data is already there');
  process.exit(0);
}
const { createCommunity: vigevano } = await gql(
  'mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }',
  { input: { name: 'Vigevano', slug: 'vigevano' } },
  op,
);
const org = async (input) =>
  (
    await gql(
      'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { communityId: vigevano.id, ...input } },
      op,
    )
  ).createOrganization.id;
const fondazione = await org({
  name: 'Fondazione Vigevano',
  kind: 'SPONSOR',
  email: 'fondazione@mentoring.test',
});
const costa = await org({
  name: 'Istituto Musicale Costa',
  kind: 'PROVIDER',
  iban: 'IT60X0542811101000000123456',
  email: 'costa@mentoring.test',
});
const school = await org({ name: 'Scuola Media Bramante', kind: 'SCHOOL', email: 'bramante@mentoring.test' });

const password = 'mentoring-demo';
for (const [email, displayName, organizationId, role] of [
  ['fondazione@mentoring.test', 'Fondazione (admin)', fondazione, 'ADMIN'],
  ['costa@mentoring.test', 'Segreteria Costa', costa, 'STAFF'],
  ['bramante@mentoring.test', 'Segreteria Bramante', school, 'STAFF'],
]) {
  await gql('mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email, password, displayName },
  });
  await gql(
    'mutation($input: AddMemberInput!) { addMember(input: $input) { role } }',
    { input: { organizationId, email, role } },
    op,
  );
}

const { createFund: fund } = await gql(
  'mutation($input: CreateFundInput!) { createFund(input: $input) { id } }',
  { input: { communityId: vigevano.id, name: 'Fondo Mentoring Vigevano' } },
  op,
);
const { recordContribution } = await gql(
  'mutation($input: RecordContributionInput!) { recordContribution(input: $input) { id } }',
  {
    input: {
      fundId: fund.id,
      sponsorOrganizationId: fondazione,
      amountCents: 1_000_000,
      note: 'Contributo 2024/25',
      idempotencyKey: 'demo-contribution-1',
    },
  },
  op,
);
await gql('mutation($id: ID!) { confirmContribution(id: $id) { id } }', { id: recordContribution.id }, op);

const { createOffering } = await gql(
  'mutation($input: CreateOfferingInput!) { createOffering(input: $input) { id } }',
  {
    input: {
      providerOrganizationId: costa,
      title: 'Iscrizione annuale 2024/25',
      description: "Quota d'iscrizione all'anno accademico dell'Istituto Musicale Costa",
      category: 'music',
      priceCents: 8000,
      capacity: 40,
    },
  },
  op,
);
await gql('mutation($id: ID!) { publishOffering(id: $id) { id } }', { id: createOffering.id }, op);

const nextYear = new Date().getUTCFullYear() + 1;
await gql(
  'mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }',
  {
    input: {
      fundId: fund.id,
      name: 'Mentoring 2.1',
      grantAmountCents: 8000,
      budgetCents: 400_000,
      maxAge: 17,
      referrerOrganizationIds: [school],
      eligibleProviderIds: [costa],
      spendDeadline: `${nextYear}-08-31`,
    },
  },
  op,
);
say(
  `Vigevano is ready. Sign in as fondazione@, costa@ or bramante@mentoring.test with password "${password}".`,
);
