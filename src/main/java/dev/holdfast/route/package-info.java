/** Route control: how a group's prefixes are withdrawn and announced. Uses the engine port. */
package dev.holdfast.route;
