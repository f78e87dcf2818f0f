/**
 * Plans: the ordered steps of a run, as data, computed purely from a group snapshot and its
 * targets; shown and compared as text. Depends on engine values, group and probe policies only. The
 * run package executes them.
 */
package dev.holdfast.plan;
