/**
 * Sites of a prefix and the withdrawal budget (pure). Anycast serves one prefix from several sites:
 * the prefix, not the group, is the unit of safety. {@link PrefixBudget} decides whether a site may
 * withdraw a prefix now, from what every known site of it is doing; the slots that carry those
 * facts between runs, on one engine or across hosts, live with the run.
 */
package dev.holdfast.site;
