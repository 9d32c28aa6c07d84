package org.opendialer.app.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A well-formed request frame: {@code {v:1, type:"request", id, method, params}}. */
public record WsRequest(String id, String method, ObjectNode params) {}
