/**
 * The HTTP edge (Javalin): one server with the API, the hooks and Watchtower's API; parse,
 * authorize, hand to the run or dispatch layer, answer JSON. The only package with app that sees
 * Javalin.
 */
package dev.holdfast.http;
