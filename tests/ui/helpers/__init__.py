"""Helpers for the window tests: stand-in sections, answers to modal questions, waiting."""
