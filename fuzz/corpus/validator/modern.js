class A { #x = 1; static { } get y() { return this.#x ?? 2; } }
return [...new A()?.y];