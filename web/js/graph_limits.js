// The graph view draws up to this many nodes (a documented limit; above it
// the page says why and suggests a smaller network).
export const GRAPH_MAX_NODES = 300;
