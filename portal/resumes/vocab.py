"""Word lists the field extractor matches against (data, not logic)."""

# fmt: off
SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "experience": (
        "experience", "professional experience", "work experience", "employment history",
        "work history", "employment", "career history", "relevant experience", "career",
        "professional background", "positions held", "industry experience", "experience summary",
        "professional history", "work", "berufserfahrung", "expérience professionnelle",
        "experiencia", "experiencia laboral", "опыт работы", "experiencia profesional",
        "berufliche erfahrung", "beruflicher werdegang", "werdegang", "praxiserfahrung",
        "expérience", "expériences professionnelles", "expériences", "parcours professionnel",
        "esperienza professionale", "esperienze lavorative", "doświadczenie zawodowe",
        "experiência profissional", "werkervaring",
    ),
    "education": (
        "education", "education and training", "academic background", "academic history",
        "education and qualifications", "academic qualifications", "qualifications",
        "educational background", "studies", "ausbildung", "formation", "formación",
        "образование", "education history", "training and education",
        "formación académica", "educación", "estudios", "études", "diplômes",
        "formation académique", "bildung", "bildungsweg", "schulbildung", "studium",
        "istruzione", "formazione", "wykształcenie", "formação", "formação acadêmica",
        "opleiding",
    ),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "skills and tools",
        "core competencies", "competencies", "technologies", "tech stack", "tools",
        "skills and technologies", "technical proficiencies", "expertise", "areas of expertise",
        "skill set", "skillset", "tools and technologies", "kenntnisse", "compétences",
        "habilidades", "навыки", "professional skills", "programming languages",
        "digital skills", "computer skills", "it skills", "software skills",
        "fähigkeiten", "kompetenzen", "fachkenntnisse", "it-kenntnisse", "compétences techniques",
        "competencias", "conocimientos", "competenze", "umiejętności", "competências",
        "vaardigheden",
    ),
    "languages": (
        "languages", "spoken languages", "language skills", "language proficiency",
        "foreign languages", "idiomas", "lenguas", "sprachen", "sprachkenntnisse",
        "fremdsprachen", "langues", "langues étrangères", "lingue", "conoscenze linguistiche",
        "języki", "języki obce", "línguas", "talen", "языки", "语言", "言語",
    ),
    "contact": (
        "contact", "contact details", "contact information", "contact info", "details",
        "personal details", "personal information", "links", "profiles", "online",
        "kontakt", "kontaktdaten", "persönliche daten", "contacto", "datos personales",
        "coordonnées", "informations personnelles", "contatti", "dati personali", "contato",
    ),
    "other": (
        "summary", "professional summary", "profile", "objective", "career objective", "about",
        "about me", "projects", "personal projects", "selected projects", "certifications",
        "certificates", "licenses and certifications",
        "interests", "hobbies", "awards", "honors", "honours", "awards and honors",
        "publications", "references", "volunteer", "volunteering", "volunteer experience",
        "courses", "training", "achievements", "activities", "leadership", "memberships",
        "additional information", "other", "research", "talks", "patents",
    ),
}

US_STATES: frozenset[str] = frozenset({
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
    "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VA", "VT", "WA", "WI", "WV", "WY",
})

US_STATE_NAMES: tuple[str, ...] = (
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas",
    "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota",
    "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon",
    "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
    "wisconsin", "wyoming", "new york", "new jersey", "new mexico", "new hampshire",
    "north carolina", "south carolina", "north dakota", "south dakota", "rhode island",
    "west virginia",
)

CA_PROVINCES: frozenset[str] = frozenset({
    "AB", "BC", "MB", "NB", "NL", "NS", "ON", "PE", "QC", "SK",
})

# Other names people write for a country (lower case) -> code: one table for the resume
# parser and the profile form (portal.applicants.services).
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US", "us": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US",
    "america": "US", "uk": "GB", "u.k.": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "great britain": "GB", "britain": "GB", "northern ireland": "GB", "uae": "AE",
    "deutschland": "DE", "россия": "RU", "russian federation": "RU", "中国": "CN", "日本": "JP",
    "españa": "ES", "brasil": "BR", "méxico": "MX", "south korea": "KR", "korea": "KR",
    "czech republic": "CZ", "czechia": "CZ", "the netherlands": "NL", "holland": "NL",
    "türkiye": "TR", "turkey": "TR", "viet nam": "VN", "vietnam": "VN", "ivory coast": "CI",
    "hong kong": "HK", "danmark": "DK", "sverige": "SE", "norge": "NO", "suomi": "FI",
    "polska": "PL", "italia": "IT", "schweiz": "CH", "österreich": "AT", "éire": "IE",
    "republic of korea": "KR", "turkiye": "TR", "burma": "MM", "swaziland": "SZ", "prc": "CN",
    "mainland china": "CN",
}

CITIES: dict[str, str] = {
    "london": "GB", "manchester": "GB", "edinburgh": "GB", "berlin": "DE", "munich": "DE",
    "münchen": "DE", "hamburg": "DE", "frankfurt": "DE", "cologne": "DE", "paris": "FR",
    "lyon": "FR", "marseille": "FR", "madrid": "ES", "barcelona": "ES", "lisbon": "PT",
    "porto": "PT", "rome": "IT", "milan": "IT", "amsterdam": "NL", "rotterdam": "NL",
    "copenhagen": "DK", "aarhus": "DK", "stockholm": "SE", "oslo": "NO", "helsinki": "FI",
    "dublin": "IE", "vienna": "AT", "zurich": "CH", "zürich": "CH", "geneva": "CH",
    "warsaw": "PL", "kraków": "PL", "krakow": "PL", "prague": "CZ", "moscow": "RU",
    "москва": "RU", "saint petersburg": "RU", "kyiv": "UA", "athens": "GR", "αθήνα": "GR",
    "istanbul": "TR", "tel aviv": "IL", "dubai": "AE", "cairo": "EG", "lagos": "NG",
    "nairobi": "KE", "cape town": "ZA", "johannesburg": "ZA", "bangalore": "IN",
    "bengaluru": "IN", "mumbai": "IN", "delhi": "IN", "new delhi": "IN", "hyderabad": "IN",
    "pune": "IN", "chennai": "IN", "beijing": "CN", "shanghai": "CN", "shenzhen": "CN",
    "北京": "CN", "上海": "CN", "tokyo": "JP", "osaka": "JP", "東京": "JP", "seoul": "KR",
    "singapore": "SG", "hanoi": "VN", "ho chi minh city": "VN", "manila": "PH", "jakarta": "ID",
    "sydney": "AU", "melbourne": "AU", "auckland": "NZ", "toronto": "CA", "vancouver": "CA",
    "montreal": "CA", "new york": "US", "san francisco": "US", "seattle": "US", "austin": "US",
    "boston": "US", "chicago": "US", "los angeles": "US", "são paulo": "BR", "sao paulo": "BR",
    "rio de janeiro": "BR", "mexico city": "MX", "buenos aires": "AR", "bogotá": "CO",
    "bogota": "CO", "santiago": "CL", "lima": "PE", "remote": "",
}

KNOWN_HOSTS: tuple[str, ...] = (
    "linkedin.com", "github.com", "gitlab.com", "bitbucket.org", "stackoverflow.com",
    "medium.com", "behance.net", "dribbble.com", "twitter.com", "x.com", "kaggle.com",
    "scholar.google.com", "orcid.org", "huggingface.co", "researchgate.net", "dev.to",
)

COMMON_TLDS: frozenset[str] = frozenset({
    "ai", "app", "ar", "at", "au", "be", "biz", "blog", "br", "ca", "ch", "cn", "co", "com", "cz",
    "de", "dev", "dk", "edu", "es", "eu", "fi", "fr", "gov", "ie", "in", "info", "io", "it", "jp",
    "me", "mx", "net", "nl", "no", "nz", "online", "org", "page", "pl", "pro", "pt", "ru", "se",
    "sh", "site", "so", "tech", "uk", "us", "xyz",
})

TITLE_WORDS: frozenset[str] = frozenset({
    "accountant", "administrator", "adviser", "advisor", "advocate", "agent", "ai", "ambassador",
    "analyst", "annotator", "architect", "artist", "assistant", "associate", "attorney",
    "auditor", "backend", "biologist", "ceo", "cfo", "chemist", "chief", "clerk", "co-founder",
    "cofounder", "consultant", "contractor", "coo", "coordinator", "copywriter", "counsel", "cto",
    "data", "dentist", "designer", "developer", "devops", "director", "doctor", "economist",
    "editor", "electrician", "engineer", "engineering", "evangelist", "executive", "expert",
    "fellow", "founder", "freelance", "freelancer", "frontend", "full-stack", "fullstack", "head",
    "illustrator", "instructor", "intern", "internship", "journalist", "junior", "labeler",
    "labeller", "lawyer", "lead", "learning", "lecturer", "librarian", "linguist", "machine",
    "manager", "marketer", "marketing", "mathematician", "mechanic", "ml", "moderator",
    "musician", "nurse", "officer", "operator", "owner", "paralegal", "partner", "pharmacist",
    "photographer", "physician", "physicist", "postdoc", "president", "principal", "producer",
    "product", "professor", "programmer", "qa", "rater", "recruiter", "reporter",
    "representative", "research", "researcher", "reviewer", "sales", "scientist", "senior",
    "software", "specialist", "sre", "stack", "staff", "statistician", "strategist", "student",
    "supervisor", "support", "surgeon", "teacher", "technician", "tester", "therapist", "trainer",
    "translator", "tutor", "veterinarian", "volunteer", "vp", "writer",
    # clinical, legal and teaching roles
    "apprentice", "attending", "barrister", "clinician", "interpreter", "midwife", "paramedic",
    "postdoctoral", "psychologist", "registrar", "resident", "solicitor", "trainee",
})

COMPANY_WORDS: frozenset[str] = frozenset({
    "ab", "ag", "agency", "ai", "airlines", "analytics", "aps", "as", "association", "b.v.",
    "bank", "bv", "capital", "co", "co.", "college", "company", "consulting", "corp", "corp.",
    "corporation", "council", "department", "enterprises", "foundation", "games", "gmbh",
    "gmbh&co", "group", "health", "holdings", "hospital", "inc", "inc.", "industries",
    "institute", "intelligence", "kg", "lab", "labs", "limited", "llc", "ltd", "ltd.", "media",
    "ministry", "motors", "networks", "nv", "oy", "partners", "pharma", "plc", "pty", "pvt",
    "robotics", "s.a.", "s.p.a.", "sa", "sarl", "sas", "school", "software", "solutions", "spa",
    "srl", "studio", "studios", "systems", "technologies", "technology", "university", "ventures",
    "academy", "associates", "center", "centre", "chambers", "clinic", "hospitals", "llp",
    "network", "services", "trust",
})

NAME_STOP: frozenset[str] = frozenset({
    "contact", "curriculum", "cv", "page", "profile", "resume", "résumé", "summary", "vitae",
})

NAME_PARTICLES: frozenset[str] = frozenset({
    "al", "bin", "binti", "binte", "bint", "da", "das", "de", "del", "den", "der", "di", "dos",
    "du", "e", "el", "ibn", "la", "le", "mac", "ní", "ten", "ter", "van", "von", "y", "zu",
})
# fmt: on
