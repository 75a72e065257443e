// Imported before @apollo/gateway: its 2.14 line starts a data-collection exporter to Apollo's
// servers unless this is set. A coalition's member data and traffic stay on its machines unless an
// operator opts in by setting the variable to 0 (docs/DESIGN.md, "Running").
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
export {};
