/** Health gates: which check decides that a member serves, parsed purely from labels. */
package dev.holdfast.probe;
