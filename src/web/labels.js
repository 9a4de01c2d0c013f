// French names of the claim's fields, tables, rules and review reasons.

const FIELDS = {
  sheet_number: 'N° de la feuille',
  insured_name: "Nom et prénom de l'assuré",
  cin: 'CIN',
  birth_date: 'Date de naissance',
  institution: 'Établissement',
  signature_place: 'Fait à',
  signature_date: 'Date de signature',
  insured_signature: "Signature de l'assuré",
  total_amount: 'Montant total des frais',
  medical_total: 'Total des actes médicaux',
  pharmacy_total: 'Total pharmacie',
  dental_total: 'Total des soins dentaires',
  sex: 'Sexe',
  doctor_inpe: 'INPE du médecin',
  status: 'Décision',
};

const TABLES = {
  medical_acts: 'actes médicaux',
  pharmacy_items: 'pharmacie',
  other_acts: 'autres actes',
  dental_acts: 'soins dentaires',
};

const CELLS = {
  date: 'date', amount: 'montant', description: 'désignation', code: 'code',
  quantity: 'quantité', tooth: 'dent', coefficient: 'coefficient',
};

export const FORMS = { ambulatoire: 'Ambulatoire', ald: 'ALD', dentaire: 'Dentaire' };

export const RULES = {
  required_fields_present: 'Champ obligatoire manquant',
  cin_format: 'CIN mal formé',
  cin_unusual_shape: 'CIN inhabituel',
  signature_present: 'Signature absente',
  age_limit: 'Âge incohérent',
  date_real: 'Date impossible',
  care_date_not_future: 'Date de soins dans le futur',
  signature_date_not_future: 'Date de signature dans le futur',
  signature_after_care: 'Signature avant les soins',
  deposit_deadline: 'Délai de dépôt dépassé',
  amount_readable: 'Montant illisible',
  section_total_matches_lines: 'Total de section ≠ somme des lignes',
  declared_total_matches_sections: 'Total déclaré ≠ somme des sections',
  amount_plausible: 'Montant inhabituel',
  amount_matches_tariff: 'Montant ≠ tarif',
  page_readable: 'Page mal lue',
  care_sheet: 'Pas une feuille de soins',
};

export const REASONS = {
  low_confidence: 'Lecture incertaine',
  not_read: 'Champ non lu',
  unreadable: 'Page mal lue',
  ...RULES,
};

// "Ligne 4 (pharmacie) — montant" for a table cell; "Lignes — montant" for all rows at once.
export function fieldLabel(target, table) {
  const m = /^lines\[(\d*)\]\.(\w+)$/.exec(target);
  if (!m) return FIELDS[target] || target;
  if (m[1] === '') return `Lignes — ${CELLS[m[2]] || m[2]}`;
  const where = TABLES[table] ? ` (${TABLES[table]})` : '';
  return `Ligne ${Number(m[1]) + 1}${where} — ${CELLS[m[2]] || m[2]}`;
}

export function ruleLabel(rule) { return RULES[rule] || rule; }
export function reasonLabel(reason) { return REASONS[reason] || reason; }
