package dev.holdfast.store;

import dev.holdfast.run.MemoryRunStore;
import dev.holdfast.run.RunStore;

/** The in-memory fake keeps the run store contract. */
class MemoryRunStoreContractTest extends RunStoreContract {

  @Override
  RunStore store() {
    return new MemoryRunStore(1000);
  }
}
