/**
 * The engine port: the {@link dev.holdfast.engine.Engine} interface and the values it exchanges.
 * Depends on nothing but the JDK; the Docker adapter lives in {@code dev.holdfast.docker}.
 */
package dev.holdfast.engine;
