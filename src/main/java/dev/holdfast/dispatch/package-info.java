/**
 * Dispatch: what starts runs. The healer (groups whose members went stale, waiting while another
 * tool is at work), registry pushes, Watchtower notices and Watchtower's {@code /v1/update}; each
 * turns what it saw into run requests for the coordinator and answers with what it understood.
 */
package dev.holdfast.dispatch;
