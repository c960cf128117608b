/**
 * English and French. The English sentence is the key, so a missing translation shows English;
 * `{name}` placeholders are filled from the parameters. The choice is kept in localStorage;
 * the first visit follows the browser's language.
 */
import { useSyncExternalStore } from 'react';

export type Lang = 'en' | 'fr';
const KEY = 'shop.lang';
const listeners = new Set<() => void>();

function initial(): Lang {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'fr') return saved;
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

let lang: Lang = initial();
document.documentElement.lang = lang;

export const currentLang = () => lang;
/** The locale for numbers and dates. */
export const locale = () => (lang === 'fr' ? 'fr-FR' : 'en-IE');

export function setLang(next: Lang) {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    () => lang,
  );
}

export function t(english: string, params: Record<string, string | number> = {}): string {
  const text = (lang === 'fr' && FR[english]) || english;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** The catalogue's category keys (lower-case English words), in words; an unknown one shows as it is. */
const CATEGORIES: Record<Lang, Record<string, string>> = {
  en: {
    books: 'Books', electronics: 'Electronics', kitchen: 'Kitchen', garden: 'Garden', toys: 'Toys',
    sports: 'Sports', clothing: 'Clothing', beauty: 'Beauty', office: 'Office', grocery: 'Grocery',
  },
  fr: {
    books: 'Livres', electronics: 'Électronique', kitchen: 'Cuisine', garden: 'Jardin', toys: 'Jouets',
    sports: 'Sport', clothing: 'Vêtements', beauty: 'Beauté', office: 'Bureau', grocery: 'Épicerie',
  },
};

export const categoryName = (category: string): string => CATEGORIES[lang][category] ?? category;

const FR: Record<string, string> = {
  // layout
  'Skip to content': 'Aller au contenu',
  Shop: 'Boutique',
  Cart: 'Panier',
  'Cart ({n})': 'Panier ({n})',
  'My account': 'Mon compte',
  'Log out': 'Se déconnecter',
  'Log in': 'Se connecter',
  'Sign up': "S'inscrire",
  'Orders (admin)': 'Commandes (admin)',
  Language: 'Langue',
  Main: 'Principal',
  'Page not found': 'Page introuvable',
  'Back to the catalogue': 'Retour au catalogue',
  // catalogue
  Catalogue: 'Catalogue',
  'Popular now': 'Populaires en ce moment',
  'Search products': 'Rechercher des produits',
  'e.g. lamp': 'ex. lampe',
  Search: 'Rechercher',
  Category: 'Catégorie',
  'All categories': 'Toutes les catégories',
  'Sort by': 'Trier par',
  Newest: 'Nouveautés',
  'Most popular': 'Les plus populaires',
  'Price, low to high': 'Prix croissant',
  'Price, high to low': 'Prix décroissant',
  Name: 'Nom',
  'In stock only': 'En stock uniquement',
  'Could not load the catalogue:': 'Impossible de charger le catalogue :',
  'Try again': 'Réessayer',
  'Loading products…': 'Chargement des produits…',
  '{n} products': '{n} produits',
  '{n} products for “{q}”': '{n} produits pour « {q} »',
  '{n} in stock': '{n} en stock',
  'Out of stock': 'Rupture de stock',
  Pages: 'Pages',
  'Previous page': 'Page précédente',
  'Next page': 'Page suivante',
  'Page {n}': 'Page {n}',
  // product
  'Loading product…': 'Chargement du produit…',
  'Could not load this product': 'Impossible de charger ce produit',
  'Product not found': 'Produit introuvable',
  '← Catalogue': '← Catalogue',
  Quantity: 'Quantité',
  'Add to cart': 'Ajouter au panier',
  'Added {n} × {name} to your cart.': '{n} × {name} ajouté(s) à votre panier.',
  'View cart': 'Voir le panier',
  'Bought together': 'Achetés ensemble',
  // cart
  'Your cart': 'Votre panier',
  'Your cart is empty.': 'Votre panier est vide.',
  'Browse the catalogue': 'Parcourir le catalogue',
  Product: 'Produit',
  Price: 'Prix',
  Remove: 'Retirer',
  'Quantity of {name}': 'Quantité de {name}',
  'Remove {name}': 'Retirer {name}',
  'Promo code': 'Code promo',
  Apply: 'Appliquer',
  'Checking…': 'Vérification…',
  '{code}: {n} % off': '{code} : {n} % de réduction',
  '{code}: {amount} off': '{code} : {amount} de réduction',
  Subtotal: 'Sous-total',
  Discount: 'Remise',
  Total: 'Total',
  'Place order': 'Commander',
  'Placing your order…': 'Commande en cours…',
  'Log in or sign up to place your order.': 'Connectez-vous ou inscrivez-vous pour commander.',
  'Could not check the code:': 'Impossible de vérifier le code :',
  '{name} is out of stock: only {n} left. Lower the quantity to order.': 'Stock insuffisant pour {name} : il en reste {n}. Réduisez la quantité pour commander.',
  '{name} is out of stock: none left. Remove it to order the rest.': '{name} est en rupture de stock. Retirez-le pour commander le reste.',
  'A product': 'Un produit',
  'The promo code was refused:': 'Le code promo a été refusé :',
  // promo reasons and errors
  'This code does not exist.': "Ce code n'existe pas.",
  'This code is no longer active.': "Ce code n'est plus actif.",
  'This code is not valid yet.': "Ce code n'est pas encore valable.",
  'This code has expired.': 'Ce code a expiré.',
  'This code has been used up.': 'Ce code est épuisé.',
  'You have already used this code as often as allowed.': 'Vous avez déjà utilisé ce code autant que permis.',
  'Your order is below the minimum amount for this code.': 'Votre commande est inférieure au montant minimum de ce code.',
  'This code cannot be used.': 'Ce code ne peut pas être utilisé.',
  'Please log in first.': "Veuillez d'abord vous connecter.",
  'You are not allowed to do that.': "Vous n'avez pas le droit de faire cela.",
  'Not found.': 'Introuvable.',
  'An account with this email already exists.': 'Un compte existe déjà avec cet e-mail.',
  'Wrong email or password.': 'E-mail ou mot de passe incorrect.',
  'Too many attempts: please wait a minute and try again.': 'Trop de tentatives : attendez une minute et réessayez.',
  'Please check what you entered.': 'Vérifiez votre saisie.',
  'Something went wrong. Please try again.': 'Un problème est survenu. Veuillez réessayer.',
  // auth
  'Create your account': 'Créer votre compte',
  'Your session has ended. Please log in again.': 'Votre session a pris fin. Veuillez vous reconnecter.',
  Email: 'E-mail',
  Password: 'Mot de passe',
  'Email me offers and new promo codes': "Recevoir les offres et nouveaux codes promo par e-mail",
  'Please wait…': 'Veuillez patienter…',
  'Already have an account?': 'Déjà un compte ?',
  'New here?': 'Nouveau ici ?',
  'Create an account': 'Créer un compte',
  // order
  Confirmed: 'Confirmée',
  Shipped: 'Expédiée',
  Delivered: 'Livrée',
  Cancelled: 'Annulée',
  'Your order': 'Votre commande',
  'Log in to see this order.': 'Connectez-vous pour voir cette commande.',
  'Loading your order…': 'Chargement de votre commande…',
  'Order not available': 'Commande indisponible',
  'This order does not exist.': "Cette commande n'existe pas.",
  'Thank you! Your order number is': 'Merci ! Votre numéro de commande est le',
  'Order {n}': 'Commande {n}',
  'Status:': 'Statut :',
  'Status history': 'Historique du statut',
  'Cancel this order': 'Annuler cette commande',
  'All my orders': 'Toutes mes commandes',
  // account
  'Log in to see your account.': 'Connectez-vous pour voir votre compte.',
  'You get our offers by email.': 'Vous recevez nos offres par e-mail.',
  'You do not get our offers by email.': 'Vous ne recevez pas nos offres par e-mail.',
  'My orders': 'Mes commandes',
  'Loading your orders…': 'Chargement de vos commandes…',
  'Could not load your orders:': 'Impossible de charger vos commandes :',
  'No orders yet.': 'Aucune commande pour le moment.',
  Order: 'Commande',
  Status: 'Statut',
  'Recommended for you': 'Recommandés pour vous',
  'Messages we sent you': 'Messages envoyés',
  'No messages yet.': 'Aucun message pour le moment.',
  // admin
  Orders: 'Commandes',
  'This page is for administrators.': 'Cette page est réservée aux administrateurs.',
  'Log in as an administrator': 'Connectez-vous en tant qu’administrateur',
  'Mark shipped': 'Marquer expédiée',
  'Mark delivered': 'Marquer livrée',
  '{label}: order {n}': '{label} : commande {n}',
  'Order {n} is now {status}.': 'La commande {n} est maintenant {status}.',
  '{n} orders': '{n} commandes',
  'Loading orders…': 'Chargement des commandes…',
  'Could not load the orders:': 'Impossible de charger les commandes :',
  Customer: 'Client',
  Placed: 'Passée le',
  'Next step': 'Étape suivante',
  'No orders with this status.': 'Aucune commande avec ce statut.',
  Admin: 'Administration',
  Administration: 'Administration',
  Products: 'Produits',
  Promotions: 'Promotions',
  'New product': 'Nouveau produit',
  SKU: 'Référence',
  Description: 'Description',
  'Price (€)': 'Prix (€)',
  Stock: 'Stock',
  'Create product': 'Créer le produit',
  '{name}: price saved.': '{name} : prix enregistré.',
  '{name}: stock adjusted.': '{name} : stock ajusté.',
  '{name}: created.': '{name} : créé.',
  'Price of {name} (€)': 'Prix de {name} (€)',
  Save: 'Enregistrer',
  'Stock change for {name}': 'Variation du stock de {name}',
  'Stock change': 'Variation du stock',
  Adjust: 'Ajuster',
  'Loading promotions…': 'Chargement des promotions…',
  Code: 'Code',
  Offer: 'Offre',
  Used: 'Utilisations',
  'from {amount}': 'dès {amount}',
  Active: 'Active',
  Inactive: 'Inactive',
  'Deactivate {code}': 'Désactiver {code}',
  Deactivate: 'Désactiver',
  '{code}: created.': '{code} : créé.',
  '{code}: deactivated.': '{code} : désactivé.',
  'New promotion': 'Nouvelle promotion',
  Kind: 'Type',
  'Percent off': 'Pourcentage de remise',
  'Amount off (€)': 'Montant de remise (€)',
  'Minimum subtotal (€, optional)': 'Sous-total minimum (€, facultatif)',
  'Most uses in all (optional)': "Nombre maximal d'utilisations (facultatif)",
  'Create promotion': 'Créer la promotion',
  // preferences
  Preferences: 'Préférences',
  'Send me offers by email': 'Recevoir nos offres par e-mail',
  'Language of our messages': 'Langue de nos messages',
  'Phone for SMS updates (optional)': 'Téléphone pour les SMS de suivi (facultatif)',
  'International format, like +33612345678': 'Format international, par exemple +33612345678',
  'Save preferences': 'Enregistrer les préférences',
  'Saving…': 'Enregistrement…',
  'Preferences saved.': 'Préférences enregistrées.',
  'Could not save:': "Impossible d'enregistrer :",
};
