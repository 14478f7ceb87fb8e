extend schema
  @link(
    url: "https://specs.apollo.dev/federation/v2.7"
    import: ["@key"]
  )

"An item the {{name}} subgraph owns. Rename it to your domain's word."
type {{Pascal}}Item @key(fields: "id") {
  id: ID!
  name: String!
}

type Query {
  "Every item, oldest first (at most 100)."
  {{camel}}Items: [{{Pascal}}Item!]!
  "One item, or null."
  {{camel}}Item(id: ID!): {{Pascal}}Item
}

type Mutation {
  "Adds an item; signed-in users only."
  add{{Pascal}}Item(name: String!): {{Pascal}}Item!
}
