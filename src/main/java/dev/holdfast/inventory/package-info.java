/**
 * The engine's containers kept in memory from its events: an {@link dev.holdfast.engine.Engine} in
 * front of the adapter, so that reads of every group cost no engine call.
 */
package dev.holdfast.inventory;
