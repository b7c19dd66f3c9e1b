// The station's wire contract: request and response schemas and the types derived from them, shared by the
// station's routes and every client (the handheld, the trip CLI, the plaza day, the tests).
export {};
