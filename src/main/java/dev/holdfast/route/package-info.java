/**
 * Routes: the strategies that withdraw and announce a group's prefixes (stop the router, or BIRD's
 * own protocols), and the announce state holdfast owns outside runs, kept where it should be and
 * recorded with its reasons. Uses the engine port and the probes' verdicts.
 */
package dev.holdfast.route;
