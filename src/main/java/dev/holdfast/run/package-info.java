/**
 * The run: planning a run over one group (the targets, the planner), executing its plan step by
 * step against the engine, rolling it back, recovering runs a previous process left in flight, one
 * run per group at a time, and the typed record of every run. Never sees docker-java.
 */
package dev.holdfast.run;
