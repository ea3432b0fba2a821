/** Public API of the pure NetworkPolicy model. */
export * from './types.js';
export { labelSelectorMatches, requirementMatches, isEmptySelector, formatSelector } from './selector.js';
export {
  parseIp,
  parseCidr,
  cidrContains,
  cidrIsSubset,
  cidrError,
  canonicalCidr,
  canonicalIp,
  formatCidr,
  formatIp,
  AddressParseError,
  type Cidr,
  type IpAddress,
  type IpFamily,
} from './cidr.js';
export { resolveCase, podKey, defaultPorts } from './resolve.js';
export {
  validateNetworkPolicy,
  validatePolicies,
  formatPath,
  formatProblem,
  portNameProblems,
  labelKeyProblems,
  labelValueProblems,
  type PolicyProblem,
  type ValidatePoliciesOptions,
} from './validate.js';
export {
  effectivePolicyTypes,
  policyAffects,
  policySelectsPod,
  peerMatchesPod,
  ipBlockMatches,
  portMatches,
  evaluateDirection,
  trafficAllowed,
  policyKey,
  type Direction,
  type DirectionVerdict,
  type RuleMatch,
  type EffectivePolicyTypes,
} from './matcher.js';
export { compileModel, type CompiledModel } from './compile.js';
export {
  computeTruthTable,
  computeReachability,
  matrixAllowed,
  matrixToGrid,
  isAllowed,
  type ReachabilityMatrix,
} from './truth-table.js';
export { explain, formatExplanation, type Explanation } from './explain.js';
export { syntheticCase, type SyntheticCaseOptions } from './synthetic.js';
