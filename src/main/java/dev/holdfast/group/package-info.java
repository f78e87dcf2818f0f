/**
 * Groups: the holder, its members, and how they are found from engine snapshots. Pure; depends on
 * the engine port's value types only.
 */
package dev.holdfast.group;
