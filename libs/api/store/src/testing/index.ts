/**
 * @servicekit/api/store/testing: what tests and benches use around a KeyValueStore, never production code
 * (lint forbids importing it outside specs, tools and apps/e2e).
 */
export { describeKeyValueStoreContract, type ContractSubject, type ContractSubjectFactory } from './key-value-store.contract';
export { CountingStore, type StoreOperation } from './counting.store';
export { UnreachableStore } from './unreachable.store';
export { RememberingStore } from './remembering.store';
