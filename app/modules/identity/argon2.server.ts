// Argon2 is native, server-only code: the `.server` name keeps it out of the
// browser bundle, which would otherwise try to resolve its WebAssembly build.
export { hash, verify } from "@node-rs/argon2";
