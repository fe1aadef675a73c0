/**
 * Transport plumbing shared by the engines: connections, the accept queue, handshake deadlines.
 * Not API.
 */
package dev.securenet.internal.net;
