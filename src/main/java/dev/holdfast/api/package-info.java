/** The HTTP API (Javalin): parse, authorize, hand to the coordinator, answer JSON. */
package dev.holdfast.api;
