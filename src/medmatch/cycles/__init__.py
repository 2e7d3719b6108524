"""The match layer: for now the practice match, a sandbox where a student runs a rank list
against made-up competitors to learn how deferred acceptance treats a list."""
