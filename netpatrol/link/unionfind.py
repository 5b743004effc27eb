"""Union-find over 0..n-1 (path halving, union by size): near-linear merging."""

from __future__ import annotations


class UnionFind:
    def __init__(self, size: int = 0) -> None:
        self.parent = list(range(size))
        self.size = [1] * size

    def add(self) -> int:
        """A new singleton; returns its index."""
        self.parent.append(len(self.parent))
        self.size.append(1)
        return len(self.parent) - 1

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> int:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return root_a
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size[root_b]
        return root_a

    def groups(self) -> dict[int, list[int]]:
        """Root -> members, for every set of two or more."""
        found: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            if self.size[self.find(item)] > 1:
                found.setdefault(self.find(item), []).append(item)
        return found
