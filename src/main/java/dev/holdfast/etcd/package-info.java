/**
 * The prefix budget shared by the holdfast instances of several hosts, kept in etcd ({@link
 * dev.holdfast.etcd.EtcdSites}): an adapter of the {@code site.Sites} port, and the only package
 * that sees jetcd and gRPC. Decisions stay {@code site.PrefixBudget}'s; etcd carries the facts
 * between hosts and makes a take one compare-and-swap, so two hosts never both pass a budget that
 * lets one of them.
 */
package dev.holdfast.etcd;
