/**
 * Cairn's internal protocol between the services and the host agents (topics {@code cairn.agent.commands},
 * {@code cairn.agent.results}, {@code cairn.host.inventory}). Not a public contract: it may change between releases.
 */
package io.cairn.events.agent;
