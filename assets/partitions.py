"""Batches are Dagster dynamic partitions: the CLI and the inbox sensor add one per new batch."""

from dagster import DynamicPartitionsDefinition

batches_partitions = DynamicPartitionsDefinition(name="batches")
