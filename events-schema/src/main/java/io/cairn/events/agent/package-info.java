/**
 * Cairn's internal protocol between the services and the host agents (each host's topics
 * {@code cairn.agent.<host>.commands}, {@code .results} and {@code .inventory}). Not a public contract: it may change
 * between releases.
 */
package io.cairn.events.agent;
