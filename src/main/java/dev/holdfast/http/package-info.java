/**
 * The HTTP edge (Javalin): one server ({@link dev.holdfast.http.HttpApi}) with the API, the hooks
 * and Watchtower's API, its endpoints grouped by concern; one credential check with its variants
 * ({@link dev.holdfast.http.Credentials}), one error body, one request reader, one budget per
 * client. Handlers authorize, parse, hand to the run or dispatch layer and answer JSON. The only
 * package with app that sees Javalin.
 */
package dev.holdfast.http;
