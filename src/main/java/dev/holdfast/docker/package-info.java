/**
 * The Docker adapter of the engine port, and the retry decorator every engine call goes through
 * (resilience4j: retries with backoff behind a circuit breaker). The only package that sees
 * docker-java; it translates every docker-java and transport failure into the port's exceptions.
 */
package dev.holdfast.docker;
