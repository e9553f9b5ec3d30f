"""Domain rules as plain functions; nothing here touches the request."""
