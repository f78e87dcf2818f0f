/**
 * Runs: executing plans against the engine (with retries, gates and rollback), one run per group at
 * a time, and healing. Uses resilience4j; never sees docker-java.
 */
package dev.holdfast.run;
