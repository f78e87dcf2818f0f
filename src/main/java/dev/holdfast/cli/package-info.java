/** The CLI commands that talk to a running service over its HTTP API. */
package dev.holdfast.cli;
