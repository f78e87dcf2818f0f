/**
 * Triggers, pure: what a webhook or notification said changed (an image pushed, a container
 * reported stale), normalized image names, and which groups that touches. Parsing the senders' wire
 * formats is the hook adapter's job; acting on the result is the run layer's.
 */
package dev.holdfast.trigger;
