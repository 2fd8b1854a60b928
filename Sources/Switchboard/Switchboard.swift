// The application module: config, wiring, engine loop, HTTP API.
