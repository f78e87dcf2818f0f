/**
 * Probes: which check decides that a member serves (parsed purely from labels), running a check
 * once inside the group's namespace, waiting until a gate passes, and watching apps continuously
 * outside runs (fall/rise). Uses the engine port only.
 */
package dev.holdfast.probe;
