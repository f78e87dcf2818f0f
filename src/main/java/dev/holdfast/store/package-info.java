/** Durable state under the data directory. */
package dev.holdfast.store;
