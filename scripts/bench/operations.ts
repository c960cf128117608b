/**
 * The operations the bench sends. The storefront's are taken by name from the public contract
 * (../shared/contract), so the bench measures what clients really send.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print } from 'graphql';

export const CONTRACT_FILE = path.resolve(__dirname, '..', '..', '..', 'shared', 'contract', 'storefront.graphql');

const read = new Map<string, string>();
function contractOperation(name: string): string {
  if (!read.has(name)) {
    if (!existsSync(CONTRACT_FILE)) throw new Error(`the bench sends the contract's operations: ${CONTRACT_FILE} is missing`);
    const operation = parse(readFileSync(CONTRACT_FILE, 'utf8')).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
    if (!operation) throw new Error(`no operation ${name} in ${CONTRACT_FILE}`);
    read.set(name, print(operation));
  }
  return read.get(name)!;
}

/**
 * The contract's operations, each read when first sent: the bench's modules load without the
 * contract (its smoke test then skips), and fail only when they would send one.
 */
export const contract = {
  get PRODUCTS() {
    return contractOperation('Products');
  },
  get MY_ACCOUNT() {
    return contractOperation('MyAccount');
  },
  get PLACE_ORDER() {
    return contractOperation('PlaceOrder');
  },
  get SIGN_UP() {
    return contractOperation('SignUp');
  },
  get LOG_IN() {
    return contractOperation('LogIn');
  },
  get ORDER_UPDATED() {
    return contractOperation('OrderUpdated');
  },
};

/** The storefront's landing list: the contract's Products selection with no filter argument at all. */
export const LANDING = `query Landing {
  products(first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku name category price { cents currency } stock inStock } }
  }
}`;

export const PRODUCT_PAGE = `query ProductPage($id: ID!, $first: Int) {
  product(id: $id) {
    id sku name description category price { cents currency } stock inStock
    recommendations(first: $first) { id name price { cents currency } }
  }
}`;

export const PRODUCT_IDS = `query($after: String) {
  products(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;

export const SEARCH_SKUS = `query($search: String) { products(first: 10, filter: { search: $search }) { edges { node { sku } } } }`;

export const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`;

export const UPDATE_ORDER_STATUS = `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;
