/**
 * Plans: the ordered steps of a run, as data. Pure; depends on group and health only. The runner in
 * {@code dev.holdfast.run} interprets them.
 */
package dev.holdfast.plan;
