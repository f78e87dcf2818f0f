/** Wiring and process entry: configuration, the service, the command line. May use everything. */
package dev.holdfast.app;
