"""Build netpatrol/knowledge/lexicons/drugs.tsv from the public data sets in ../shared/data.

Run by a developer, not at run time: `.venv/bin/python scripts/build_lexicons.py`
(`--check` exits 1 when the shipped file differs from what the data gives).

Inputs (see netpatrol/knowledge/SOURCES.md, "Detection lexicons"):
- dea-controlled-substances-dope/dea_cs_alpha_orange_book.csv and dea_controlled.csv:
  DEA controlled substances with schedule, narcotic flag, code number and other names;
- dea-controlled-substances-dope/dea_street_names.csv: DEA Intelligence Report
  DIR-020-17 "Drug Slang Code Words" (noslang_street_names.csv is NOT used: its terms
  of use are unknown);
- fr-stupefiants-psychotropes/fr_controlled_substances.csv: the French lists of
  stupéfiants and psychotropes (arrêtés du 22 février 1990);
- netpatrol/knowledge/lexicons/drugs-hand.tsv: multilingual common names, slang, units
  and darknet listing words written by the project.

The output is sorted and deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from netpatrol.knowledge.lexicons import (
    COLUMNS,
    Term,
    fold,
    format_extra,
    load_lexicon_file,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
LEXICONS = ROOT / "netpatrol" / "knowledge" / "lexicons"
OUTPUT = LEXICONS / "drugs.tsv"
HAND = LEXICONS / "drugs-hand.tsv"
DEA = "dea-controlled-substances-dope"
FR = "fr-stupefiants-psychotropes"

SCHEDULE_ORDER = ("I", "II", "III", "IV", "V")
MAX_TERM = 60  # longer (IUPAC) names are never written in listings

# Words that make a DEA entry a description rather than a name ("Codeine preparations -
# 200 mg/(100 ml or 100 gm)", "Opium poppy, except ...", "Listed as ...").
QUALIFIERS = frozenset(
    [
        "preparation",
        "preparations",
        "combination",
        "product",
        "products",
        "mg",
        "du",
        "dosage",
        "except",
        "excepted",
        "noncontrolled",
        "derivative",
        "derivatives",
        "intermediate",
        "approved",
        "suppository",
        "listed",
        "isomer",
        "isomers",
        "positional",
        "constituent",
        "precursor",
        "specifically",
        "known",
        "fda",
        "w",
        "other",
        "salts",
        "compounds",
        "ingred",
        "bulk",
        "forms",
        "form",
        "solution",
        "capsule",
        "capsules",
        "oral",
        "sesame",
        "gelatin",
        "marketing",
        "administration",
        "drug",
        "not",
        "defined",
        "related",
        "cfr",
        "sold",
        "has",
        "been",
        "as",
        "in",
        "ml",
        "gm",
        "or",
        "also",
        "see",
    ]
)

# Canonical labels for the substances whose DEA name is not the name people use.
LABELS = {
    "marihuana": "cannabis",
    "marihuana extract": "cannabis",
    "marijuana": "cannabis",
    "tetrahydrocannabinols": "THC",
    "lysergic acid diethylamide": "LSD",
    "3,4-methylenedioxymethamphetamine": "MDMA",
    "3,4-methylenedioxyamphetamine": "MDA",
    "3,4-methylenedioxy-n-ethylamphetamine": "MDEA",
    "gamma hydroxybutyric acid": "GHB",
    "dimethyltryptamine": "DMT",
    "psilocyn": "psilocin",
    "4-bromo-2,5-dimethoxyphenethylamine": "2C-B",
    "phencyclidine": "PCP",
    "coca leaves": "coca",
    "poppy straw concentrate": "poppy straw",
    "methcathinone": "methcathinone",
}

LABEL_NAMES = {fold(label): label for label in LABELS.values()}


def _words(text: str) -> frozenset[str]:
    """Entries separated by commas (phrases allowed), folded."""
    return frozenset(fold(w.strip()) for w in text.split(",") if w.strip())


# DEA street names (DIR-020-17). Many are ordinary words, first names or brands that
# would flood a patrol with false hits ("blue", "white", "girl", "candy", "ice cream",
# "Audi", "Rolex", "AK-47"). STREET_STOP: dropped, as are terms of one or two letters or
# digits ("H", "K", "X", "E", "BJ", "OC"). STREET_KNOWN: slang that ordinary text rarely
# uses, weight 0.7. Other single words get 0.3 and other phrases 0.4: one street name
# alone is weak evidence. The hand file sets the weight of the slang it also lists
# ("weed", "snow", "ice", "speed", "molly", "coke").
STREET_STOP = _words(
    # colours, everyday nouns and adjectives, food, drink, vehicles, places, nature
    "a, the, blue, blues, white, whites, black, blacks, brown, green, greens, purple, red, "
    "dark, light, clear, pure, raw, hard, soft, heavy, wet, dry, day, night, down, love, "
    "girl, girls, boy, baby, lady, man, him, dog, doggie, puppy, bird, crow, fox, hawk, owl, "
    "wolf, worm, turkey, rooster, chicken, pony, horse, hog, sheep, parrot, calves, animal, "
    "animals, beast, elephant, kangaroo, turtle, candy, sweets, sweeties, sugar, salt, sand, "
    "dust, powder, flour, milk, cream, food, meal, jam, jelly, mayo, cheese, coffee, "
    "chocolate, soda, water, juice, gin, whiskey, tequila, lemonade, beers, bottles, car, "
    "cars, truck, taxi, tire, tires, rims, wheels, motor, motors, engines, boat, table, "
    "line, case, chip, dice, pile, paste, scale, seed, leaf, stems, trees, root, rope, pine, "
    "palm, wheat, garden, bush, flower, flowers, cabbage, broccoli, parsley, popcorn, "
    "shrimp, avocado, lemons, oranges, peaches, roses, pearl, gold, diamonds, nickel, "
    "quarters, tens, fives, hats, shirts, shirt, pants, shoes, napkin, tissue, pillow, "
    "matchbox, cigars, incense, toys, heaven, paradise, dream, dreams, devil, angel, ghost, "
    "fire, thunder, storm, cloud, hail, sleet, wave, zero, work, stuff, junk, garbage, dirt, "
    "mud, tar, slime, gum, gravy, chalk, cement, grout, glass, windows, wings, beach, "
    "sierra, colorado, arizona, cali, angola, ghana, karachi, china, chinese, mexican, "
    "peruvian, hawaiian, domestic, mother, doctor, conductor, chief, hunter, gangster, "
    "killer, pimp, teenager, schoolboy, hero, witch, surfer, shaman, spider, ice, crystal, "
    "snow, acid, speed, magic, smoke, puff, mist, haze, flash, chill, blaze, bliss, bloom, "
    "boom, bomb, bump, base, baseball, basketball, bone, boulder, stone, pebbles, gravel, "
    "grit, slab, climax, crib, geek, issues, tension, troop, wash, freeze, galaxy, guitar, "
    "hamburger, icing, loaf, paint, nails, shards, flake, flakes, cactus, buttons, button, "
    "tops, moon, caps, bars, sticks, ladders, planks, dots, domes, fields, lens, hits, "
    "ticket, tabs, pellets, pizza, potato, wedge, zen, barrel, ace, airplane, ashes, bale, "
    "bash, boo, herb, hay, hooch, jive, machinery, method, mother, owl, sheets, spores, "
    "juice, scoop, butter, wax, sap, shatter, badder, dabs, fluff, bananas, kickers, drone, "
    "explosion, recharge, viper, venom, poison, crazy, sexy, posh, chrome, helix, rewind, "
    "ultimate, rapture, karma, exodus, extreme, hysteria, limitless, mystique, odyssey, "
    "wicked, clarity, decadence, essence, roll, rolling, running, skittle, sacrament, "
    "noise, sack, scat, tan, crown, dynamite, helicopter, lifesaver, menthol, muzzle, peg, "
    "accordion, aqua, cream, gifts, hare, popsicle, stove, yellow, fizz, crypto, "
    "dreams, gondola, hops, pox, amoeba, cyclones, dipper, energizer, goon, ozone, peep, "
    "rupture, scuffle, worm, act, syrup, lean, hulk, school, dance, friend, jackpot, "
    "lollipop, apache, dragon, phoenix, scorpion, gorilla, ninja, wizard, zombie, karate, "
    "hercules, superman, rambo, jet, pin, green, trank, puffy, kools, kaps, boat, "
    # everyday words in Spanish
    "gato, pollo, pollito, pez, pescado, mujer, hombre, papas, polvo, blanco, negra, morena, "
    "plata, dorado, gorda, comida, refresco, refrescas, talco, caca, pantalones, palomos, "
    "paloma, gallos, cuadro, cuadros, vidrio, madera, frio, piedras, basura, chicle, mole, "
    "goma, carga, caballo, cafe, diente, cebolla, dulces, brisa, escama, gringa, gueros, "
    "lavada, mosquitos, pedrito, soditas, suave, tonto, tortes, vaquita, tamales, chinos, "
    "muchacha, montura, raspado, livianas, cajitas, chavalones, opio, cruz, paz, monte, "
    "mora, humo, paja, repollo, lobo, pastillas, rueda, diablos, chochos, bolitas, "
    "burrito, chorizo, manteca, marias, lenta, negrita, coco, chiclosa, ventanas, hongos, "
    "champinones, azucar, nieve, hielo, acido, aceite, gota, media luna, "
    # first names and people
    "amy, angie, christina, christine, christy, connie, cecil, helen, henry, harry, patty, "
    "maria, gloria, greta, jane, tina, alice, eve, adam, johnson, kelly, juanita, roxanne, "
    "roz, barbara, obama, beyonce, maradona, yoda, serpico, kordell, carney, cheyenne, izzy, "
    "scottie, scotty, whitey, bernie, reggie, gina, keller, bozo, columbo, britton, meg, "
    "tosca, tila, tims, dody, gigi, leary, owsley, boomers, watsons, "
    # brands, products, institutions
    "audi, bmw, toyota, mercedes, cadillac, jeep, chevy, duracell, coca-cola, cola, facebook, "
    "rolex, tupperware, crisco, kleenex, snickers, yahoo, yale, uzi, ak-47, hundai, tecate, "
    "modelo negra, bud light, john deere, bill blass, seven-up, sandoz, kong, k2, "
    # other ordinary words
    "cookie, cookies, bean, beans, nuggets, footballs, hearts, dolls, dominoes, drivers, "
    "marathons, jugs, snaps, splash, pixies, rhythm, rippers, sparklers, thrusters, "
    "zoomers, leapers, turnabouts, cartwheels, bumblebees, crisscross, amps, bam, benz, "
    "debs, brownies, chunk, pollutants, lightening, bazooka, hotcakes, primo, groceries, "
    "glo, hooter, mojo, wooly, zip, blonde, blocks, blizzard, bobo, bolo, dove, mandango, "
    "melcocha, milonga, puritain, t-shirts, ercs, mica, abyss, kaos, hipster, "
    "airplane, biggy, blondie, catnip, chippie, churo, citrol, dew, dizz, dojo, endo, gash, "
    "gauge, gong, gunga, kaff, kali, killa, kilter, moocah, mootie, pretendo, shora, stink, "
    "wooz, zambi, dyno, hummers, choko, chip, achivia, ballot, dreck, hairy, hazel, "
    "he-man, goodfella, fenty, geeb, auntie, hocus, skee, toxy, when-shee, domex, hog, "
    "tish, nubs, seni, hikori, diesel, downtown, poppy, space, egg, fish, blast, sunshine, "
    "caviar, bonita, coconut, girlfriend, stardust, chernobyl, marimba, fluffy, "
    "grasshopper, khalifa, tahoe, skywalker, zoom, takeover, whack, scramble, scruples, "
    "bullion, beemer, kryptonite, antifreeze, mescal, rip, coca, clicker, blowout, "
    "durin, bings, caro, muggie, bareta, kaya, topi, "
    # phrases
    "black and whites, black birds, blue boys, cross roads, double cross, truck drivers, "
    "wake ups, jelly babies, jelly beans, in-between, in- between, co-pilot, morning shot, "
    "horse heads, diet pills, mini beans, baby powder, death valley, designer jeans, "
    "double bubble, flea market jeans, gold dust, green gold, happy trails, henry viii, "
    "late night, love affair, old lady, rocky mountain, ski equipment, sleigh ride, "
    "snow white, snow cone, white cross, white horse, white shirt, white t, white paint, "
    "white root, white mercedes benz, white goat, sweet stuff, mona lisa, big bloke, "
    "billie hoke, carrie nation, dona blanca, queso blanco, oyster stew, studio fuel, "
    "apple jack, baby t, bubble gum, cloud nine, french fries, golf ball, golf balls, "
    "ice cubes, ice cream, pee wee, top gun, eye opener, great white hope, "
    "hamburger helper, rocky iii, bone crusher, casper the ghost, breakfast of champions, "
    "speed boat, white ball, white sugar, white tornado, wrecking crew, black rock, "
    "red caps, chinese food, china town, great bear, crazy one, dance fever, "
    "tango & cash, big bag, black olives, black pearl, black sheep, black paint, brick gum, "
    "chocolate balls, dog food, good & plenty, hard candy, nice and easy, old steve, "
    "red chicken, red eagle, tootsie roll, white stuff, white boy, witch hazel, "
    "charlie horse, blue bell ice cream, colorado rockies, eye glasses, evil sister, "
    "jug of water, lemon drop, light beige, one pot, shaved ice, stove top, yellow barn, "
    "ice dragon, black russian, midnight oil, green tea, jet fuel, love boat, mad dog, "
    "mad man, peter pan, purple rain, red devil, rocket fuel, tic tac, yellow fever, "
    "heaven & hell, mint leaf, lethal weapon, busy bee, half moon, san pedro, big chief, "
    "blue caps, pizza toppings, chocolate chips, dancing shoes, love doctor, moon rock, "
    "contact lens, dental floss, window glass, wedding bells, teddy bears, tail lights, "
    "sugar cubes, sugar lumps, strawberry fields, pearly gates, mellow yellow, "
    "mother of god, golden dragon, blue moon, blue sky, blue star, black star, "
    "blue heaven, pink panthers, purple haze, purple hearts, bart simpson, big d, "
    "battery acid, alice b toklas, african bush, aunt mary, big pillows, black gold, "
    "black maria, blue cheese, blue jeans, blueberry, christmas tree, fine stuff, "
    "gold star, gold leaf, green eyes, green goddess, holy grail, kentucky blue, "
    "king louie, mary ann, northern lights, red cross, salt & pepper, santa marta, "
    "texas tea, yellow submarine, gummy bears, ace of spades, big bang, black mamba, "
    "brain freeze, cherry bomb, clockwork orange, dead man, green peace, hammer head, "
    "just chill, layer cake, mad hatter, pandora's box, pineapple express, sky high, "
    "snake bite, time traveler, top gear, train wreck, voodoo child, zero gravity, "
    "funky monkey, red magic, insect repellant, jewelry cleaner, phone screen cleaner, "
    "plant food, snow leopard, vanilla sky, white knight, white dove, red dove, "
    "white magic, school bus, bicycle handle bars, vitamin e, green leaves, magic dust, "
    "new magic, purple wave, ocean burst, lunar wave, blue silk, cloud 9, cloud 10, "
    "dr. feel good, earth blend, g-force, gi joe, fruit candy flavors, crystal skull, "
    "atomic blast, buzz haze, dragon eye, green dream, juicy leaf, sweet leaf, "
    "dead on arrival, rest in peace, 420, 4-20, 777, 30s, 40s, 51s, 151s, 501s, 357s, "
    "512s, 246, a-1, crunch & munch, fat bags, famous dimes, fifty-one, one-fifty-one, "
    "dime special, double yoke, square time bomb, sugar block, sight ball, garbage rock, "
    "rock attack, mixed jive, eastside player, dirty basing, cheap basing, devil smoke, "
    "scooby snacks, scooby snax, good giggles, little smoke, little green friends, "
    "magic smoke, dry high, pocket rocket, mowing the lawn, rainy day woman, wake and bake, "
    "green paint, green mercedes benz, lemon-lime, lime pillows, platinum jack, "
    "chicago black, chicago green, canadian black, african black, black bart, jolly green, "
    "jamaican gold, jamaican red, panama red, panama gold, kona gold, mexican brown, "
    "mexican green, mexican red, tex-mex, manhattan silver, "
    "indian boy, young girls, white-haired lady, barbara jean, "
    "angels in a sky, black tabs, blue chair, blue tabs, blue mist, brown dots, cherry dome, "
    "chinese dragons, dinosaurs, double dome, el cid, ellis day, flat blues, "
    "grape parfait, green wedge, grey shields, headlights, instant zen, mind detergent, "
    "mighty quinn, newspapers, orange cubes, orange haze, pink robots, potato, recycle, "
    "royal blues, russian sickles, square dancing tickets, uncle sid, valley dolls, "
    "white dust, white fluff, white lightening, window pane, yellow dimples, "
    "crackers, cupcakes, backbreaker, goofy, kaleidoscope, smears, "
    "bad seed, big harry, capital h, chinese red, dead on arrival (doa), galloping horse, "
    "golden girl, good h, hell dust, hot dope, mexican treat, mortal combat, night, "
    "roofing tar, sticky kind, sweet jesus, tragic magic, white junk, white nurse, "
    "clothing cleaner, colorado rockies, go-fast, hard ones, pointy ones, soft ones, "
    "spicy kind, walking zombie, witches teeth, yellow kind, soap dope, "
    "aunt emma, big o, chinese tobacco, dream stick, dream gum, easing powder, "
    "god's medicine, great tobacco, joy plant, pen yan, pin gon, pin yen, "
    "angel hair, angel mist, angel poke, aurora borealis, black acid, blue madman, "
    "butt naked, crazy eddie, detroit pink, dust joint, dust of angels, dummy dust, "
    "elephant tranquilizer, embalming fluid, fake stp, gorilla tab, gorilla biscuits, "
    "horse tracks, horse tranquilizers, k-blast, leaky leak, lemon 714, mean green, "
    "mint weed, monkey dust, monkey tranquilizer, new acid, orange crystal, peace pill, "
    "super grass, super kools, synthetic cocaine, taking a cruise, t-buzz, white horizon, "
    "wobble weed, black button, green button, blue kisses, booty juice, e-bomb, "
    "speed for lovers, love trip, love potion #9, baby slits, slits, smartees, "
    "kelly's day, k-ways, k-hold, blind squid, super acid, honey oil, ear wax, "
    "bicycle handle bars, mexican crack, mexican crank, l.a. glass, l.a. ice, "
    "super ice, miss girl, shiny girl, el gata diablo, piñata, pinata, purple, "
    "big rush, big flake, bouncing powder, birdie powder, happy dust, happy powder, "
    "heaven dust, joy flakes, joy powder, lady snow, nose powder, paradise white, "
    "powder diamonds, reindeer dust, society high, star spangled powder, white bitch, "
    "white mosquito, white powder, white lady, white girl, angel powder, "
    "all-american drug, movie star drug, glad stuff, clear kind, crusty treats, "
    "california pancakes, inca message, maca flour, foolish powder, friskie powder, "
    "gift of the sun, king's habit, bernie's flakes, bernie's gold dust, aunt nora, "
    "snow bird, florida snow, mama coca, racehorse charlie, "
    "diente, dienton, escorpino, mercedes, cocazo, barrato, chiva blanca, chivones, "
    "caballo negro, brea negra, chapopote, zapapote, morenita, negra tomasa, "
    "prostituta negra, modelo negra, red chicken"
)
STREET_KNOWN = _words(
    "bennies, dexies, black beauties, pep pills, white crosses, cross tops, yayo, yeyo, "
    "falopa, basuco, perico, nose candy, devil's dandruff, bolivian marching powder, "
    "peruvian flake, peruvian lady, blanca nieves, freebase, hubba, ready rock, "
    "blowcaine, china white, china girl, murder 8, toe tag dope, georgia home boy, "
    "grievous bodily harm, liquid e, liquid x, black tar, brown sugar, mexican mud, "
    "mexican horse, chiva, tecata, scag, skag, smeck, schmeck, george smack, big h, "
    "h-caps, cat valium, special k, vitamin k, super valium, k-pin, blotter acid, "
    "blotter cube, microdot, blue microdots, orange micros, paper acid, lucy in the sky "
    "with diamonds, electric kool aid, window pane, purple flats, ganja, reefer, "
    "sinsemilla, spliff, doobie, bhang, kiff, cheeba, pakalolo, mota, yesca, mary jane, "
    "maui wowie, acapulco red, acapulco gold, ditch weed, loco weed, laughing grass, "
    "giggle weed, wacky tobacky, dro, droski, budda, bc budd, girl scout cookies, "
    "grand daddy purp, gorilla glue, green crack, kush, cowboy kush, "
    "green skunk, shwag, ecstasy, xtc, molly, love drug, "
    "hillbilly heroin, percs, m-30s, oxy, xanies, zannies, zanbars, z-bars, "
    "sizzurp, sizurup, purple drank, shrooms, mushies, "
    "angel dust, sherms, shermstick, crank, meth, shabu, hot ice, "
    "peanut butter crank, flakka, m-cat, meow-meow, ivory wave, bath salts, "
    "synthetic marijuana, fent, budder, errl, bho, chandoo, dopium, "
    "dover's powder, goric, mezcakuba, peyote, hikuli, hyatari, speedball, vikes"
)
# Street names in Spanish (the rest of DIR-020-17 is English).
STREET_SPANISH = _words(
    "yayo, yeyo, falopa, basuco, perico, blanca nieves, polvo, nieve, chiva, tecata, "
    "mota, yesca, hierba, lechuga, mostaza, zacate, cotorritos, guardada, alfombra, "
    "chistosa, mafafa, maracachafa, mariquita, morisqueta, narizona, pelosa, hongos, "
    "champiñones, hielo, cri-cri, adormidera, chicle, goma, manteca, muzzle, piezas, "
    "stufa, chutazo, dorado, gamot, kabayo, comida, tacatosa, acido, burritos verdes, "
    "rosa maria, donna juana"
)

STREET_LABELS = {
    "Acetaminophen and Oxycodone": ("oxycodone", "oxycodone"),
    "Alprazolam": ("alprazolam", "alprazolam"),
    "Amphetamine": ("amphetamine", "amphetamine"),
    "Clonazepam": ("clonazepam", "clonazepam"),
    "Cocaine": ("cocaine", "cocaine"),
    "Crack Cocaine": ("cocaine", "cocaine"),
    "Fentanyl and Fentanyl Derivatives": ("fentanyl", "fentanyl"),
    "GHB": ("GHB", "GHB"),
    "Heroin": ("heroin", "heroin"),
    "Hydrocodone": ("hydrocodone", "hydrocodone"),
    "Ketamine": ("ketamine", "ketamine"),
    "LSD": ("LSD", "LSD"),
    "MDMA": ("MDMA", "MDMA"),
    "Marijuana": ("cannabis", "cannabis"),
    "Marijuana Concentrates": ("cannabis", "cannabis"),
    "Mescaline": ("mescaline", "mescaline"),
    "Methamphetamine": ("methamphetamine", "methamphetamine"),
    "Mushrooms": ("psilocybin", "psilocybin"),
    "Opium": ("opium", "opium"),
    "Oxycodone": ("oxycodone", "oxycodone"),
    "PCP": ("PCP", "PCP"),
    "Peyote": ("mescaline", "mescaline"),
    "Promethazine with Codeine": ("codeine", "codeine"),
    "Ritalin": ("methylphenidate", "methylphenidate"),
    "Synthetic Cannabinoids": ("synthetic cannabinoids", "synthetic cannabinoids"),
    "Synthetic Cathinones": ("synthetic cathinones", "synthetic cathinones"),
}
STREET_FORMS = {
    "Crack Cocaine": "crack",
    "Marijuana Concentrates": "concentrate",
    "Promethazine with Codeine": "lean",
    "Acetaminophen and Oxycodone": "with_acetaminophen",
}

# DEA short codes that are also common words or other acronyms: kept at weight 0.1
# (PHP: programming language; TCP: network protocol; DOC, DOI, DOM, DET, STP, MDA...).
AMBIGUOUS_CODES = _words(
    "php, tcp, doc, doi, dom, det, stp, mda, mde, dma, tma, amt, pma, dhe, rms, msir, "
    "pcc, dpt, dob, msc, mmb, apap, asa, ket, gbl, android, wans, dmhp, stp, p2p, "
    # brand names of old medicines that are ordinary words elsewhere
    "redux, versed, rize, doral, sonata, paral, compal, logen, domar, lak, capla, madar"
)
# Other names in the DEA lists that are slang, another substance's name or not a name.
NAME_STOP = _words(
    "synthetic heroin, china white, chine white, love drug, trip, et, adam, eve, "
    "magic mushrooms, fentanyl, heroin, cocaine, synthetic thc, ms contin, tylenol, "
    'i.e. mdma, various others, others, "body building" drugs, cheque, anorexic, '
    'cactus which contains mescaline, "cat", speed, ice, crank, crack, 2-fmc'
)


@dataclass
class Row:
    """A row being built; rows with the same (folded term, label) are merged."""

    term: str
    label: str
    kind: str
    lang: str
    weight: float
    extra: dict[str, str] = field(default_factory=dict)
    category: str = "drugs"
    priority: int = 0  # 2 hand file, 1 DEA, 0 other: who names the term and its weight


def strictest(*schedules: str) -> str:
    known = [s for s in schedules if s in SCHEDULE_ORDER]
    return min(known, key=SCHEDULE_ORDER.index) if known else ""


def tidy(text: str) -> str:
    """One spelling of a name: straight quotes and hyphens, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"\s*-\s+|\s+-(?=\S)", "-", text) if re.search(r"\w- \w", text) else text
    return re.sub(r"\s+", " ", text).strip()


def casing(text: str) -> str:
    """Lower-case ordinary capitalised words ("Cocaine", "Black Tar"); keep codes ("2C-B")."""
    for index, char in enumerate(text):
        if char.isupper():
            word_start = index == 0 or text[index - 1] == " "
            next_lower = text[index + 1 : index + 2].islower()
            if not (word_start and next_lower):
                return text
    return text.lower()


def usable(name: str) -> bool:
    """A name someone could write in a listing, not a legal description."""
    if not name or len(name) > MAX_TERM:
        return False
    words = set(re.findall(r"[a-z]+", name.lower()))
    if words & QUALIFIERS:
        return False
    if name.count("(") != name.count(")") or name.count("[") != name.count("]"):
        return False
    return len(re.sub(r"[^0-9a-z]", "", fold(name))) > 2


def is_code(name: str) -> bool:
    """A short upper-case code such as "DMT", "BZP" or "MDPV"."""
    return len(name) <= 5 and name.upper() == name and any(c.isalpha() for c in name)


def split_substance(text: str) -> tuple[str, str]:
    """ "Mephedrone (4-Methyl-N-methylcathinone)" -> ("Mephedrone", "4-Methyl-N-...")."""
    text = tidy(text)
    match = re.match(r"^(.*\S)\s*\(([^()]+)\)$", text)
    if match:
        main, inner = match.group(1), match.group(2).strip()
    else:
        main, _, rest = text.partition(" (")
        inner = rest.removesuffix(")").strip()
    main = re.split(r" \[|, ", main)[0].strip()
    return main, inner


def split_names(text: str) -> list[str]:
    """The Orange Book "Names" column: names separated by "," or ";" (not "CP-47,497")."""
    text = re.sub(r"(\d), (\d{3})", r"\1,\2", text)
    return [tidy(n) for n in re.split(r";|,(?!\d)", text) if n.strip()]


@dataclass
class Substance:
    names: list[str]
    inner: str
    schedule: str
    narcotic: str
    code: str
    synonyms: list[str]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def dea_substances(data: Path) -> list[Substance]:
    out: list[Substance] = []
    for row in read_csv(data / DEA / "dea_cs_alpha_orange_book.csv"):
        main, inner = split_substance(row["SUBSTANCE"])
        out.append(
            Substance(
                re.split(r" and |; ", main),
                inner,
                row["Schedule"].strip(),
                row["Narcotic"].strip(),
                row["Number"].strip().removesuffix(".0"),
                split_names(row["Names"]),
            )
        )
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in read_csv(data / DEA / "dea_controlled.csv"):
        grouped.setdefault(row["substance"], []).append(row)
    for substance, rows in sorted(grouped.items()):
        main, inner = split_substance(substance)
        first = rows[0]
        out.append(
            Substance(
                re.split(r" and |; ", main),
                inner,
                first["schedule"].strip(),
                first["narcotic"].strip(),
                first["number"].strip().removesuffix(".0"),
                [tidy(r["synonym"]) for r in rows],
            )
        )
    return out


class Builder:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], Row] = {}
        self.schedules: dict[str, str] = {}

    def add(self, row: Row) -> None:
        key = (fold(row.term), row.category, row.label)
        old = self.rows.get(key)
        if old is None:
            self.rows[key] = row
            return
        first, second = (row, old) if row.priority > old.priority else (old, row)
        extra = dict(second.extra)
        extra.update(first.extra)
        schedule = strictest(old.extra.get("schedule", ""), row.extra.get("schedule", ""))
        if schedule:
            extra["schedule"] = schedule
        sources = sorted(
            set(old.extra.get("source", "").split("+"))
            | set(row.extra.get("source", "").split("+")) - {""}
        )
        if sources:
            extra["source"] = "+".join(sources)
        lang = first.lang if first.lang == second.lang or first.priority == 2 else "*"
        weight = first.weight if first.priority == 2 else max(first.weight, second.weight)
        kind = first.kind
        self.rows[key] = Row(
            first.term, first.label, kind, lang, weight, extra, first.category, first.priority
        )

    def add_dea(self, substances: list[Substance]) -> None:
        labels: dict[str, str] = {}  # folded main name or code -> label
        for sub in substances:
            main = sub.names[0]
            code = sub.inner if usable(sub.inner) and len(sub.inner) <= 30 else ""
            if usable(main):
                label = LABELS.get(fold(main)) or (code if len(main) > 30 and code else main)
            elif len(main) > MAX_TERM and code:
                label = code  # an IUPAC name with its code: "2-(4-iodo-...) (25I-NBOMe)"
            else:
                continue
            for name in [*sub.names, code]:
                if usable(name):
                    labels.setdefault(fold(name), casing(label))
        for sub in substances:
            main = sub.names[0]
            found = labels.get(fold(main)) or labels.get(fold(sub.inner))
            names = [n for n in [*sub.names, sub.inner] if usable(n)]
            if found is None:
                # "Codeine preparations - 200 mg/(100 ml ...)": its brands name the base.
                found = labels.get(fold(main.split(" ")[0]))
                names = []
                if found is None:
                    continue
            label = found
            self.schedules[label] = strictest(self.schedules.get(label, ""), sub.schedule)
            extra = {"schedule": sub.schedule, "narcotic": sub.narcotic, "source": "DEA"}
            if sub.code and sub.code != "nan":
                extra["dea_code"] = sub.code
            for name in names:
                self.add_name(name, label, "substance", extra)
            for raw in sub.synonyms:
                for name in re.split(r" and |; ", raw):
                    folded = fold(name)
                    other = labels.get(folded) or LABEL_NAMES.get(folded)
                    if (
                        usable(name)
                        and "(" not in name
                        and folded not in NAME_STOP
                        and (other is None or other == label)
                    ):
                        self.add_name(name, label, "synonym", extra)

    def add_name(self, name: str, label: str, kind: str, extra: dict[str, str]) -> None:
        term = casing(name)
        folded = fold(term)
        if folded in AMBIGUOUS_CODES:
            weight = 0.1
        elif is_code(term):
            weight = 0.6
        else:
            weight = 1.0 if kind == "substance" else 0.8
        self.add(Row(term, label, kind, "*", weight, dict(extra), priority=1))

    def add_street(self, data: Path) -> None:
        fixes = {"Gigi (hydroponic) Giggle Smoke": ["Gigi", "Giggle Smoke"]}
        for row in read_csv(data / DEA / "dea_street_names.csv"):
            label, _ = STREET_LABELS[row["category"]]
            for raw in fixes.get(row["slang"], [row["slang"]]):
                note = re.search(r"\(([^)]*)\)", raw)
                term = casing(tidy(re.sub(r"\s*\([^)]*\)", "", raw)))
                folded = fold(term)
                if folded in STREET_STOP or len(re.sub(r"[^0-9a-z]", "", folded)) <= 2:
                    continue
                weight = 0.7 if folded in STREET_KNOWN else 0.3 if " " not in term else 0.4
                extra = {"source": "DEA-DIR-020-17"}
                if self.schedules.get(label):
                    extra["schedule"] = self.schedules[label]
                if row["category"] in STREET_FORMS:
                    extra["form"] = STREET_FORMS[row["category"]]
                if note and note.group(1).startswith("mixed with"):
                    extra["mixed_with"] = note.group(1).removeprefix("mixed with ").split()[0]
                lang = "es" if folded in STREET_SPANISH else "en"
                self.add(Row(term, label, "slang", lang, weight, extra, priority=0))

    def add_french(self, data: Path) -> None:
        index: dict[str, str] = {}
        for (folded, _, label), built in self.rows.items():
            if built.kind in ("substance", "synonym"):
                index.setdefault(re.sub(r"[^0-9a-z]", "", folded), label)
        for row in read_csv(data / FR / "fr_controlled_substances.csv"):
            names = FR_FIXES.get(row["name_fr"], [row["name_fr"]])
            annexe = FR_PARTS.get(row["annexe_or_part"], row["annexe_or_part"])
            for name in names:
                name = tidy(name)
                if not usable(name) or (name[:1].islower() and name not in FR_LOWER_OK):
                    continue
                term = casing(name)
                folded = fold(term)
                key = re.sub(r"[^0-9a-z]", "", folded)
                label = FR_LABELS.get(folded) or next(
                    (index[k] for k in (key, key.removesuffix("e")) if k in index),
                    term if term.isascii() else folded,
                )
                extra = {"fr_list": row["list_fr"], "annexe": annexe, "source": "FR"}
                if self.schedules.get(label):
                    extra["schedule"] = self.schedules[label]
                lang = "fr" if not term.isascii() or folded in FR_WORDS else "*"
                self.add(Row(term, label, "substance", lang, 1.0, extra, priority=0))

    def add_hand(self, path: Path) -> None:
        for term in load_lexicon_file(path):
            extra = dict(term.extra)
            schedule = self.schedules.get(term.label)
            if term.category == "drugs" and "schedule" not in extra and schedule:
                extra["schedule"] = schedule
            self.add(
                Row(
                    term.term,
                    term.label,
                    term.kind,
                    term.lang,
                    term.weight,
                    extra,
                    term.category,
                    priority=2,
                )
            )

    def terms(self) -> list[Term]:
        out = []
        for row in self.rows.values():
            extra = dict(row.extra)
            order = [
                "schedule",
                "narcotic",
                "dea_code",
                "fr_list",
                "annexe",
                "form",
                "mixed_with",
                "source",
            ]
            pairs = tuple((k, extra[k]) for k in order if extra.get(k)) + tuple(
                sorted((k, v) for k, v in extra.items() if k not in order and v)
            )
            out.append(
                Term(
                    row.term,
                    row.category,
                    row.label,
                    row.kind,
                    row.lang,
                    round(row.weight, 2),
                    pairs,
                )
            )
        return sorted(out, key=lambda t: (t.category, fold(t.label), t.label, fold(t.term), t.term))


FR_PARTS = {
    "Tableau III de la convention de Vienne": "tableau_III",
    "Tableau IV de la convention de Vienne": "tableau_IV",
    "Deuxième partie": "partie_2",
    "Troisième partie": "partie_3",
}
# Entries of the French lists whose head term needs a hand: split, completed or dropped
# (a heading or a truncated line of the source).
FR_FIXES = {
    "Cannabis et résine de cannabis": ["cannabis", "résine de cannabis"],
    "Coca": ["coca", "feuille de coca"],
    "JWH-018 - 1-Pentyl-3-(1-Naphthoyl)Indole": ["JWH-018", "1-Pentyl-3-(1-Naphthoyl)Indole"],
    "HU - 210": ["HU-210"],
    "Ayahusca Banisteteriopis caapi": ["ayahuasca", "Banisteriopsis caapi"],
    "Les cannabinoïdes suivants": [],
    "Béta hydroxy alpha": [],
    "Méthyl-4 aminorex": ["4-méthylaminorex"],
    "Champignons hallucinogènes": ["champignons hallucinogènes"],
    "Concentré de paille de pavot": ["concentré de paille de pavot"],
    "Acide lysergique": ["acide lysergique"],
}
FR_LOWER_OK = frozenset(
    {
        "cannabis",
        "résine de cannabis",
        "coca",
        "feuille de coca",
        "ayahuasca",
        "champignons hallucinogènes",
        "concentré de paille de pavot",
        "acide lysergique",
        "zaléplone",
        "zopiclone",
        "butorphanol",
    }
)
FR_WORDS = frozenset({"feuille de coca", "acide lysergique"})
FR_LABELS = {
    "cannabis": "cannabis",
    "resine de cannabis": "cannabis",
    "coca": "coca",
    "feuille de coca": "coca",
    "champignons hallucinogenes": "psilocybin",
    "tetrahydrocannabinols": "THC",
    "lysergide": "LSD",
    "acide lysergique": "lysergic acid",
    "ayahuasca": "DMT",
    "banisteriopsis caapi": "DMT",
    "banisteriopsis rusbyana": "DMT",
    "peyotl": "mescaline",
    "khat": "cathinone",
    "dexamfetamine": "amphetamine",
    "levamfetamine": "amphetamine",
    "levomethamphetamine": "methamphetamine",
    "4-methylmethcathinone": "mephedrone",
    "concentre de paille de pavot": "poppy straw",
    "zaleplone": "zaleplon",
    "phenylacetone": "phenylacetone",
    "tabernanthe iboga": "ibogaine",
    "1-pentyl-3-(1-naphthoyl)indole": "JWH-018",
}


def build(data: Path = DATA, hand: Path = HAND) -> str:
    """The text of drugs.tsv."""
    builder = Builder()
    builder.add_dea(dea_substances(data))
    builder.add_street(data)
    builder.add_french(data)
    builder.add_hand(hand)
    lines = ["\t".join(COLUMNS)]
    for t in builder.terms():
        weight = f"{t.weight:.2f}".rstrip("0").rstrip(".") if t.weight % 1 else f"{t.weight:.1f}"
        lines.append(
            "\t".join((t.term, t.category, t.label, t.kind, t.lang, weight, format_extra(t.extra)))
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = build(args.data)
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print("drugs.tsv is up to date" if same else "drugs.tsv differs: rebuild it")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {text.count(chr(10)) - 1} terms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
