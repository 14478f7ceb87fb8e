// Imported before @apollo/gateway: the gateway reads this when it is constructed and
// otherwise starts an OpenTelemetry exporter that reports usage to Apollo.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
