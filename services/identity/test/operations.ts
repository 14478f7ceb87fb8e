// The contract operations identity serves, exactly as the frontends send them.

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token refreshToken user { id email displayName } } }`;
export const LOG_IN = `mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token refreshToken user { id email } } }`;
export const REFRESH_TOKEN = `mutation RefreshToken($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { token refreshToken } }`;
export const ME = `query Me { me { id email displayName roles memberships { role organization { id name kind } } } }`;
export const CREATE_COMMUNITY = `mutation CreateCommunity($input: CreateCommunityInput!) { createCommunity(input: $input) { id name slug } }`;
export const CREATE_ORGANIZATION = `mutation CreateOrganization($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name kind community { id slug } } }`;
export const ADD_MEMBER = `mutation AddMember($input: AddMemberInput!) { addMember(input: $input) { role user { id email } organization { id } } }`;
export const GRANT_OPERATOR = `mutation GrantOperator($userId: ID!) { grantOperator(userId: $userId) { id roles } }`;
export const ORGANIZATIONS = `query Organizations($communityId: ID!, $kind: OrganizationKind) { organizations(communityId: $communityId, kind: $kind) { id name kind } }`;
