/** The B2B Classifier's domain core: pure functions, no n8n import. */
export { compileClassifier } from './classify';
export type { B2bClassification, ClassificationMode, ClassificationResult, ClassifierSettings, InputProblem } from './classify';
export { buildRateTable, toThresholdCurrency } from './currency';
export type { RateEntry, RateTable, TotalComparison } from './currency';
export { compileInputReader, compilePath } from './input';
export type { ClassifierInput, FieldMapping } from './input';
export { domainParts, registrableDomain } from './publicSuffix';
export { emailDomainFacts, freeMailDomains, disposableDomains, listedDomain } from './domains';
export { accountNameFromDomain, companyNameKey, isPlaceholderCompany } from './accounts';
export { SIGNAL_WEIGHTS, DEFAULT_ORDER_TOTAL_THRESHOLD, DEFAULT_SCORE_THRESHOLD, DEFAULT_WHOLESALE_QUANTITY, assessRoleAddress, assessTaxId, findBusinessAddressWord } from './signals';
export type { SignalId } from './signals';
export { SettingError } from './settingError';
