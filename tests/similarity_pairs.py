"""A set of barriers and enablers in English, Spanish and French, written the way people
write them in a workshop: 20 pairs that say the same thing (most across languages, some within
one) and 14 items that have no duplicate but share a topic or words with others.

Each item carries its translations into the other two languages as the workshop's
translation engine gives them: the output of Apertium 3.8.3 (apertium-eng-spa 0.8.1,
apertium-fr-es 0.9.4; English and French through Spanish), `apertium -u`, stored here so that
the tests do not need the engine. They stand for the engine's `Translation` rows.

Used by tests/test_similarity_pairs.py and bench/merge_suggestions.py.
"""

# (pair, kind, language, text, {language: machine translation}); pair "-": no duplicate
ITEMS = [
    (
        "funding",
        "barrier",
        "en",
        "Lack of funding for pilot projects",
        {
            "es": "Carencia de financiar para proyectos pilotos",
            "fr": "Manque de financer pour des projets pilotes",
        },
    ),
    (
        "funding",
        "barrier",
        "es",
        "Falta de financiación para proyectos piloto",
        {
            "en": "Fault of financing for pilot projects",
            "fr": "Faute de financement pour des projets pilote",
        },
    ),
    (
        "bureaucracy",
        "barrier",
        "en",
        "Too much bureaucracy in public procurement",
        {
            "es": "Demasiada burocracia en público aprovisionamiento",
            "fr": "Demasiada Bureaucratie en public approvisionnement",
        },
    ),
    (
        "bureaucracy",
        "barrier",
        "fr",
        "Trop de bureaucratie dans les marchés publics",
        {
            "en": "Too much of bureaucracy in the public markets",
            "es": "Demasiado de burocracia en los mercados públicos",
        },
    ),
    (
        "trust",
        "barrier",
        "es",
        "Los ciudadanos no confían en el ayuntamiento",
        {
            "en": "The citizens do not trust the city council",
            "fr": "Les citoyens ne confient pas dans la mairie",
        },
    ),
    (
        "trust",
        "barrier",
        "en",
        "Citizens do not trust the city council",
        {
            "es": "Los ciudadanos no confían en el ayuntamiento",
            "fr": "Les citoyens ne confient pas dans la mairie",
        },
    ),
    (
        "skills",
        "barrier",
        "fr",
        "Manque de compétences numériques chez les fonctionnaires",
        {
            "en": "Lack of numerical competitions in the civil servants",
            "es": "Carencia de competencias numéricas en las funcionarias",
        },
    ),
    (
        "skills",
        "barrier",
        "en",
        "Civil servants lack digital skills",
        {
            "es": "Los funcionarios carecen de destrezas digitales",
            "fr": "Les fonctionnaires manquent de dextérités digitales",
        },
    ),
    (
        "standards",
        "barrier",
        "en",
        "No open data standards",
        {"es": "Ninguno niveles de dato abiertos", "fr": "Aucun niveaux de donnée ouverts"},
    ),
    (
        "standards",
        "barrier",
        "es",
        "No hay estándares de datos abiertos",
        {
            "en": "There are not standards of open data",
            "fr": "il n'y a pas des standards de données ouvertes",
        },
    ),
    (
        "resistance",
        "barrier",
        "es",
        "Resistencia al cambio en la administración",
        {
            "en": "Resistance to the change in the administration",
            "fr": "Résistance au changement dans l'administration",
        },
    ),
    (
        "resistance",
        "barrier",
        "fr",
        "Résistance au changement dans l'administration",
        {
            "en": "Hold to the change in the administration",
            "es": "Aguante al cambio en la administración",
        },
    ),
    (
        "rural",
        "barrier",
        "en",
        "Slow internet in rural areas",
        {"es": "Internet lento en áreas rurales", "fr": "Internet LONG À des zones rurales"},
    ),
    (
        "rural",
        "barrier",
        "es",
        "Internet lento en las zonas rurales",
        {"en": "Slow internet in the rural zones", "fr": "Internet LONG Aux zones rurales"},
    ),
    (
        "terms",
        "barrier",
        "fr",
        "Les élus changent tous les quatre ans",
        {
            "en": "The elect change all the four years",
            "es": "Los electos cambian todos los cuatro años",
        },
    ),
    (
        "terms",
        "barrier",
        "en",
        "Politicians change every four years",
        {
            "es": "Los políticos cambian cada cuatro años",
            "fr": "Les politiques changent chaque quatre ans",
        },
    ),
    (
        "privacy",
        "barrier",
        "en",
        "Privacy concerns about sensor data",
        {
            "es": "Preocupaciones de intimidad aproximadamente dato de sensor",
            "fr": "Préoccupations d'intimité environ donnée de capteur",
        },
    ),
    (
        "privacy",
        "barrier",
        "fr",
        "Inquiétudes sur la vie privée et les données des capteurs",
        {
            "en": "Interests on the private life and the data of the sensors",
            "es": "Inquietudes sobre la vida privada y los datos de los sensores",
        },
    ),
    (
        "coordination",
        "barrier",
        "es",
        "Falta de coordinación entre departamentos",
        {
            "en": "Fault of coordination among departments",
            "fr": "Faute de coordination entre des départements",
        },
    ),
    (
        "coordination",
        "barrier",
        "en",
        "Poor coordination between departments",
        {
            "es": "Coordinación pobre entre departamentos",
            "fr": "Coordination pauvre entre des départements",
        },
    ),
    (
        "buses",
        "barrier",
        "en",
        "High cost of electric buses",
        {"es": "Alto costado de autobuses eléctricos", "fr": "Grand coûté de bus électriques"},
    ),
    (
        "buses",
        "barrier",
        "en",
        "Electric buses are too expensive",
        {
            "es": "Los autobuses eléctricos son demasiado caros",
            "fr": "Les bus électriques sont trop chers",
        },
    ),
    (
        "rules",
        "barrier",
        "es",
        "Normativa obsoleta",
        {"en": "Obsolete rule", "fr": "Réglementation obsolète"},
    ),
    (
        "rules",
        "barrier",
        "es",
        "Leyes y normas obsoletas",
        {"en": "Laws and obsolete norms", "fr": "Lois et normes obsolètes"},
    ),
    (
        "leadership",
        "enabler",
        "en",
        "Strong political leadership",
        {"es": "Liderazgo político fuerte", "fr": "Leadership politique fort"},
    ),
    (
        "leadership",
        "enabler",
        "es",
        "Liderazgo político fuerte",
        {"en": "Strong political leadership", "fr": "Leadership politique fort"},
    ),
    (
        "universities",
        "enabler",
        "fr",
        "Partenariats avec les universités",
        {"en": "Cooperations with the universities", "es": "Cooperaciones con las universidades"},
    ),
    (
        "universities",
        "enabler",
        "en",
        "Partnerships with universities",
        {"es": "Sociedades con universidades", "fr": "Sociétés avec des universités"},
    ),
    (
        "budgeting",
        "enabler",
        "es",
        "Presupuestos participativos",
        {"en": "Participatory estimates", "fr": "Budgets participatifs"},
    ),
    (
        "budgeting",
        "enabler",
        "en",
        "Participatory budgeting",
        {"es": "Participativo budgeting", "fr": "Participatif budgeting"},
    ),
    (
        "eu",
        "enabler",
        "en",
        "EU funding for smart city projects",
        {
            "es": "Financiación de UE para proyectos de ciudad lista",
            "fr": "Financement d'UE pour des projets de ville prête",
        },
    ),
    (
        "eu",
        "enabler",
        "fr",
        "Financement de l'UE pour les projets de ville intelligente",
        {
            "en": "Financing of the EU for the projects of intelligent city",
            "es": "Financiación de la UE para los proyectos de ciudad inteligente",
        },
    ),
    (
        "training",
        "enabler",
        "en",
        "Training programmes for staff",
        {
            "es": "Entrenando programas para personal",
            "fr": "En entraînant programmes pour personnel",
        },
    ),
    (
        "training",
        "enabler",
        "es",
        "Programas de formación para el personal",
        {
            "en": "Programs of formation for the personnel",
            "fr": "Programmes de formation pour le personnel",
        },
    ),
    (
        "platform",
        "enabler",
        "fr",
        "Plateforme de données ouvertes",
        {"en": "Platform of open data", "es": "Plataforma de datos abiertos"},
    ),
    (
        "platform",
        "enabler",
        "es",
        "Plataforma de datos abiertos",
        {"en": "Platform of open data", "fr": "Plate-forme de données ouvertes"},
    ),
    (
        "involvement",
        "enabler",
        "en",
        "Citizen involvement from the start",
        {"es": "Implicación de ciudadano del inicio", "fr": "Implication de citoyen du début"},
    ),
    (
        "involvement",
        "enabler",
        "fr",
        "Impliquer les citoyens dès le début",
        {
            "en": "Involve the citizens from the beginning",
            "es": "Implicar los ciudadanos desde el comienzo",
        },
    ),
    (
        "business",
        "enabler",
        "es",
        "Colaboración con empresas locales",
        {
            "en": "Collaboration with local companies",
            "fr": "Collaboration avec des entreprises locales",
        },
    ),
    (
        "business",
        "enabler",
        "en",
        "Collaboration with local businesses",
        {"es": "Colaboración con negocios locales", "fr": "Collaboration avec des affaires locaux"},
    ),
    (
        "-",
        "barrier",
        "en",
        "Lack of trust between departments",
        {
            "es": "Carencia de confianza entre departamentos",
            "fr": "Manque de confiance entre des départements",
        },
    ),
    (
        "-",
        "barrier",
        "es",
        "Falta de espacio en el centro de la ciudad",
        {
            "en": "Fault of space in the centre of the city",
            "fr": "Faute d'espace dans le centre de la ville",
        },
    ),
    (
        "-",
        "barrier",
        "fr",
        "Manque de transports publics la nuit",
        {
            "en": "Lack of public transports the night",
            "es": "Carencia de transportes públicos la noche",
        },
    ),
    (
        "-",
        "barrier",
        "en",
        "Vendors lock the city into their software",
        {
            "es": "Los vendedores cierran la ciudad a su software",
            "fr": "Les vendeurs ferment la ville à son logiciel",
        },
    ),
    (
        "-",
        "barrier",
        "es",
        "Los datos de los sensores se pierden",
        {"en": "The data of the sensors lose", "fr": "Les données des capteurs se perdent"},
    ),
    (
        "-",
        "barrier",
        "en",
        "Public buildings use too much energy",
        {
            "es": "Los edificios públicos utilizan demasiada energía",
            "fr": "Les bâtiments publics utilisent demasiada énergie",
        },
    ),
    (
        "-",
        "barrier",
        "fr",
        "Le budget est voté trop tard",
        {
            "en": "The estimate is voted too late",
            "es": "El presupuesto está votado demasiado tarde",
        },
    ),
    (
        "-",
        "barrier",
        "fr",
        "Les capteurs tombent souvent en panne",
        {"en": "The sensors fall often in panne", "es": "Los sensores caen a menudo en panne"},
    ),
    (
        "-",
        "enabler",
        "en",
        "Open source software",
        {"es": "Software de código abierto", "fr": "Logiciel de code ouvert"},
    ),
    (
        "-",
        "enabler",
        "es",
        "Apoyo del gobierno regional",
        {"en": "Support of the regional government", "fr": "Soutien du gouvernement régional"},
    ),
    (
        "-",
        "enabler",
        "fr",
        "Des champions du numérique dans chaque service",
        {
            "en": "Of the champions of the numerical in each service",
            "es": "De los campeones del numérico en cada servicio",
        },
    ),
    (
        "-",
        "enabler",
        "en",
        "A clear digital strategy for 2030",
        {
            "es": "Una estrategia digital clara para 2030",
            "fr": "Une stratégie digitale claire pour 2030",
        },
    ),
    (
        "-",
        "enabler",
        "es",
        "Formación de los ciudadanos en habilidades digitales",
        {
            "en": "Formation of the citizens in digital skills",
            "fr": "Formation des citoyens en des habilités digitales",
        },
    ),
    (
        "-",
        "enabler",
        "en",
        "Funding from private foundations",
        {"es": "Financiación de fundaciones privadas", "fr": "Financement de fondations privées"},
    ),
]


def entries(translated=True):
    """The items as domain/similarity.py Entry values (ids from 1, in order)."""
    from facilitation.domain.similarity import Entry

    return [
        Entry(i, kind, lang, text, translations if translated else {})
        for i, (_pair, kind, lang, text, translations) in enumerate(ITEMS, start=1)
    ]


def known_pairs():
    """{(smaller id, larger id)} of the items that say the same thing."""
    by_pair = {}
    for i, (pair, *_rest) in enumerate(ITEMS, start=1):
        if pair != "-":
            by_pair.setdefault(pair, []).append(i)
    return {tuple(sorted(ids)) for ids in by_pair.values()}
