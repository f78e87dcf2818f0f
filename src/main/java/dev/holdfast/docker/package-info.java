/**
 * The Docker adapter of the engine port. The only package (with app) that sees docker-java; it
 * translates every docker-java and transport failure into the port's exceptions.
 */
package dev.holdfast.docker;
