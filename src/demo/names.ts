/**
 * The demo's vocabulary: fictional people, companies, titles and places. Company domains use the
 * reserved `.example` top-level domain so no generated address belongs to anyone; personal
 * addresses use the common free-mail providers so the free-mail rules have something to catch.
 */

export const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Noah',
  'Emma',
  'Olivia',
  'Mateo',
  'Sofia',
  'Lucas',
  'Mia',
  'Ethan',
  'Amara',
  'Kenji',
  'Priya',
  'Omar',
  'Chloe',
  'Diego',
  'Hannah',
  'Ravi',
  'Elena',
  'Marcus',
  'Zoe',
  'Yusuf',
  'Grace',
  'Daniel',
  'Aisha',
  'Felix',
  'Nora',
  'Samuel',
  'Leila',
  'Owen',
  'Ines',
  'Tomás',
  'Freya',
  'Jamal',
  'Hana',
  'Victor',
  'Maya',
  'Arjun',
  'Clara',
  'Malik',
  'Sara',
  'Jonas',
  'Isla',
  'Kwame',
  'Lena',
  'Adrian',
  'Mei',
  'Henrik',
  'Rosa',
  'Caleb',
] as const;

export const LAST_NAMES = [
  'Chen',
  'Okafor',
  'Garcia',
  'Novak',
  'Schmidt',
  'Patel',
  'Kowalski',
  'Murphy',
  'Tanaka',
  'Silva',
  'Johnson',
  'Haddad',
  'Larsen',
  'Moreau',
  'Rossi',
  'Nguyen',
  'Fischer',
  'Walsh',
  'Kim',
  'Andersen',
  'Brooks',
  'Mensah',
  'Duarte',
  'Ivanova',
  'Byrne',
  'Sato',
  'Romero',
  'Hughes',
  'Ali',
  'Becker',
  'Lindgren',
  'Costa',
  'Park',
  'Reid',
  'Navarro',
  'Osei',
  'Bauer',
  'Quinn',
  'Yilmaz',
  'Foster',
] as const;

/** Word pairs for company names: "Bluepeak" + "Analytics". */
export const COMPANY_HEADS = [
  'Northwind',
  'Bluepeak',
  'Ironbark',
  'Lumen',
  'Harbor',
  'Cobalt',
  'Brightline',
  'Sable',
  'Quarry',
  'Tidewater',
  'Keystone',
  'Meridian',
  'Orchard',
  'Summit',
  'Redwood',
  'Pioneer',
  'Atlas',
  'Beacon',
  'Cedar',
  'Granite',
  'Halcyon',
  'Juniper',
  'Kestrel',
  'Larkspur',
  'Mosaic',
  'Nimbus',
  'Onyx',
  'Prairie',
  'Quill',
  'Riverbend',
  'Silverline',
  'Trellis',
  'Upland',
  'Vantage',
  'Willow',
  'Zephyr',
] as const;

export const COMPANY_TAILS: Readonly<Record<string, readonly string[]>> = {
  Software: ['Labs', 'Software', 'Cloud', 'Systems', 'Analytics', 'AI'],
  'Financial Services': ['Capital', 'Financial', 'Payments', 'Lending', 'Insurance'],
  Healthcare: ['Health', 'Medical', 'Care', 'Clinics'],
  Manufacturing: ['Industries', 'Manufacturing', 'Fabrication', 'Works'],
  Retail: ['Retail', 'Goods', 'Outfitters', 'Market'],
  Logistics: ['Logistics', 'Freight', 'Shipping'],
  Education: ['Learning', 'Academy', 'Education'],
  Media: ['Media', 'Studios', 'Publishing'],
  Government: ['County Services', 'Public Works'],
};

/** Industries and how often companies in the demo belong to each. */
export const INDUSTRY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['Software', 30],
  ['Financial Services', 16],
  ['Healthcare', 12],
  ['Manufacturing', 10],
  ['Retail', 9],
  ['Logistics', 9],
  ['Education', 6],
  ['Media', 5],
  ['Government', 3],
];

/** Where companies are: country, US state (when US), time zone, weight. */
export interface Place {
  readonly country: string;
  readonly state?: string;
  readonly zone: string;
}

export const PLACE_WEIGHTS: readonly (readonly [Place, number])[] = [
  // US West
  [{ country: 'US', state: 'CA', zone: 'America/Los_Angeles' }, 14],
  [{ country: 'US', state: 'WA', zone: 'America/Los_Angeles' }, 4],
  [{ country: 'US', state: 'OR', zone: 'America/Los_Angeles' }, 2],
  [{ country: 'US', state: 'CO', zone: 'America/Denver' }, 3],
  [{ country: 'US', state: 'AZ', zone: 'America/Phoenix' }, 2],
  [{ country: 'US', state: 'UT', zone: 'America/Denver' }, 1],
  // US Central
  [{ country: 'US', state: 'TX', zone: 'America/Chicago' }, 8],
  [{ country: 'US', state: 'IL', zone: 'America/Chicago' }, 5],
  [{ country: 'US', state: 'MN', zone: 'America/Chicago' }, 2],
  [{ country: 'US', state: 'OH', zone: 'America/New_York' }, 2],
  [{ country: 'US', state: 'MI', zone: 'America/Detroit' }, 2],
  // US East
  [{ country: 'US', state: 'NY', zone: 'America/New_York' }, 10],
  [{ country: 'US', state: 'MA', zone: 'America/New_York' }, 5],
  [{ country: 'US', state: 'PA', zone: 'America/New_York' }, 3],
  [{ country: 'US', state: 'NJ', zone: 'America/New_York' }, 2],
  [{ country: 'US', state: 'FL', zone: 'America/New_York' }, 4],
  [{ country: 'US', state: 'GA', zone: 'America/New_York' }, 3],
  [{ country: 'US', state: 'VA', zone: 'America/New_York' }, 2],
  // US outside every territory: the default round-robin takes them
  [{ country: 'US', state: 'NC', zone: 'America/New_York' }, 3],
  [{ country: 'US', state: 'TN', zone: 'America/Chicago' }, 2],
  // Abroad: the international territory
  [{ country: 'CA', zone: 'America/Toronto' }, 5],
  [{ country: 'GB', zone: 'Europe/London' }, 6],
  [{ country: 'IE', zone: 'Europe/Dublin' }, 2],
  [{ country: 'DE', zone: 'Europe/Berlin' }, 3],
  [{ country: 'FR', zone: 'Europe/Paris' }, 2],
  [{ country: 'NL', zone: 'Europe/Amsterdam' }, 1],
  [{ country: 'AU', zone: 'Australia/Sydney' }, 2],
];

/** Titles by seniority, with the department they sit in. */
export const TITLES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  c_level: [
    ['CEO', 'executive'],
    ['COO', 'operations'],
    ['CFO', 'finance'],
    ['CTO', 'engineering'],
  ],
  vp: [
    ['VP Sales', 'sales'],
    ['VP Marketing', 'marketing'],
    ['VP Revenue Operations', 'operations'],
    ['VP Engineering', 'engineering'],
  ],
  director: [
    ['Director of Marketing', 'marketing'],
    ['Director of Sales Operations', 'operations'],
    ['Head of Data', 'engineering'],
    ['Director of Finance', 'finance'],
  ],
  manager: [
    ['Marketing Manager', 'marketing'],
    ['Sales Operations Manager', 'operations'],
    ['RevOps Manager', 'operations'],
    ['Analytics Manager', 'engineering'],
  ],
  individual_contributor: [
    ['Data Analyst', 'engineering'],
    ['Marketing Specialist', 'marketing'],
    ['Account Executive', 'sales'],
    ['Software Engineer', 'engineering'],
    ['Operations Analyst', 'operations'],
  ],
  student: [
    ['Marketing Intern', 'marketing'],
    ['Graduate Student', 'other'],
  ],
};

export const SENIORITY_WEIGHTS: readonly (readonly [string, number])[] = [
  ['c_level', 7],
  ['vp', 12],
  ['director', 18],
  ['manager', 25],
  ['individual_contributor', 34],
  ['student', 4],
];

export const FREE_MAIL_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
] as const;

/** Tools enrichment may report; the config scores some as complementary or competing. */
export const TOOLS = [
  'salesforce',
  'hubspot',
  'snowflake',
  'slack',
  'spreadsheets',
  'rivalmetrics',
  'dashly',
  'jira',
  'zendesk',
  'looker',
] as const;

export const LEAD_SOURCES: readonly (readonly [string, number])[] = [
  ['organic_search', 30],
  ['paid_search', 18],
  ['paid_social', 10],
  ['content_syndication', 8],
  ['webinar', 8],
  ['referral', 6],
  ['events', 6],
  ['direct', 14],
];

export const LOSS_REASONS = ['price', 'competitor', 'no_decision', 'timing', 'missing_feature'] as const;
